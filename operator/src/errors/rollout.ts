import type { ErrorFamily } from './entry.js';

export const ROLLOUT_ERRORS = {
  title: 'Rollout',
  about:
    "Why an applied plan does not become ready (docs/isolation.md lists what each carries); fed back to the model as the next attempt's diagnostics, and shown in the Ready condition.",
  codes: {
    VIBE_ROLLOUT_CONTAINER_CONFIG: {
      message: 'container {name} cannot be created: {reason}',
      action: 'Create the ConfigMap or Secret the container refers to, or correct the name and key it uses.',
    },
    VIBE_ROLLOUT_CRASH_LOOP: {
      message: 'container {name} keeps crashing (exit code {code}, {restarts} restarts): {last log lines}',
      action: "Fix the container's command, arguments or configuration the log names.",
    },
    VIBE_ROLLOUT_DEADLINE_EXCEEDED: {
      message: 'Deployment/{name} did not progress within its progressDeadlineSeconds',
      action: "Read the pods' diagnostics; fix the pod template.",
    },
    VIBE_ROLLOUT_IMAGE_PULL: {
      message: 'container {name} cannot pull image {image} ({reason})',
      action: 'Use an image that exists, with the right name and tag, in a registry the cluster can reach.',
    },
    VIBE_ROLLOUT_JOB_FAILED: {
      message: 'Job/{name} failed: {reason}',
      action: "Fix the Job's containers so they exit 0.",
    },
    VIBE_ROLLOUT_OUT_OF_MEMORY: {
      message: 'container {name} was killed for using more than its memory limit',
      action: 'Raise resources.limits.memory, or make the program use less.',
    },
    VIBE_ROLLOUT_POD_FAILED: {
      message: 'Pod/{name} failed: {reason}',
      action: "Fix the pod's containers.",
    },
    VIBE_ROLLOUT_POD_REJECTED: {
      message: 'the cluster refused to create the pods of {object}: {reason}',
      action: 'Fix the pod template the reason names (Pod Security, admission).',
    },
    VIBE_ROLLOUT_PROBE_FAILED: {
      message: 'the {probe} of container {name} fails: {detail}',
      action: "Fix the probe's path or port, or what the app's log says it cannot reach.",
    },
    VIBE_ROLLOUT_QUOTA_EXCEEDED: {
      message: "the namespace's quota refuses the pods of {object}: {detail}",
      action: 'Request less CPU or memory per container, or run fewer replicas.',
    },
    VIBE_ROLLOUT_UNSCHEDULABLE: {
      message: 'no node can run the pod: {reason}',
      action:
        'Request less CPU or memory per container, run fewer replicas, or drop node selectors and affinities no node matches.',
    },
  },
} as const satisfies ErrorFamily;
