import type { ErrorFamily } from './entry.js';

export const SANDBOX_ERRORS = {
  title: 'Sandbox and scripts',
  about:
    'Running a generated script (or a Code Mode program) under gVisor, and the sandbox itself; script faults go back to the model as diagnostics, setup faults stop `vibe operator` at start-up or show as SandboxUnavailable (docs/sdk.md).',
  codes: {
    VIBE_SANDBOX_COMPILE_ERROR: {
      message: 'the script does not compile: {detail}',
      action: 'Fed back to the model; with the offline planner, rephrase the intent.',
    },
    VIBE_SANDBOX_CRASHED: {
      message: 'the sandbox ended without a result: {detail}',
      action: "Look at the operator log for the sandbox's stderr; check the executor (runsc, pod).",
    },
    VIBE_SANDBOX_EMPTY_ENVIRONMENT: {
      message: 'the script declared nothing',
      action: 'Call at least one block such as webService() or postgres().',
    },
    VIBE_SANDBOX_IMPORT_REFUSED: {
      message: 'the script imports {module}, which the sandbox does not provide',
      action: 'Import only @vibe/sdk.',
    },
    VIBE_SANDBOX_LDD_FAILED: {
      message: 'could not list the shared libraries of {binary} with ldd',
      action: 'Install ldd (libc-bin) on the host that builds the sandbox rootfs.',
    },
    VIBE_SANDBOX_MEMORY_LIMIT: {
      message: "the script used more than the sandbox's {memoryMiB} MiB of memory and was stopped",
      action: 'Declare the environment without building large data in the script.',
    },
    VIBE_SANDBOX_NAMESPACE_MISSING: {
      message: 'the sandbox namespace {namespace} does not exist',
      action: 'Create it (the chart does, with sandbox.createNamespace) or set --sandbox-namespace.',
    },
    VIBE_SANDBOX_OUTPUT_LIMIT: {
      message: 'the script printed more than {maxOutputBytes} bytes; it was stopped',
      action: 'Print less; the manifests are the output.',
    },
    VIBE_SANDBOX_POD_BOOT_TIMEOUT: {
      message: 'sandbox pod {name} did not start within its boot deadline',
      action: "Check the gvisor RuntimeClass and the node's capacity; the pool retries with backoff.",
    },
    VIBE_SANDBOX_POD_ENDED_WAITING: {
      message: 'sandbox pod {name} ended before it was used ({reason})',
      action:
        'Check that the sandbox image holds a runner that reads its request from stdin (`make images`).',
    },
    VIBE_SANDBOX_POD_IMAGE: {
      message: 'sandbox pod {name} cannot get its image {image} ({reason})',
      action: 'Set --sandbox-image (chart value sandbox.image) to an image the nodes can pull.',
    },
    VIBE_SANDBOX_POD_FORBIDDEN: {
      message: 'the operator may not run sandbox pods in namespace {namespace}',
      action: "Install the chart's sandbox Role there (value sandbox.namespace) or set --sandbox-namespace.",
    },
    VIBE_SANDBOX_POD_NEEDS_CLUSTER: {
      message: 'the pod executor runs scripts in a cluster',
      action: 'Pass --kubeconfig with a cluster that has the gvisor RuntimeClass.',
    },
    VIBE_SANDBOX_RUNNER_NOT_READY: {
      message: 'the sandbox runner did not boot: {detail}',
      action:
        'Run `vibe selftest`; a pooled runner that does not boot is discarded and replaced with backoff.',
    },
    VIBE_SANDBOX_RUNSC_CREATE_FAILED: {
      message: 'runsc could not create the sandbox: {detail}',
      action: 'Run `vibe selftest`; check cgroups and that runsc matches the kernel.',
    },
    VIBE_SANDBOX_RUNSC_NOT_FOUND: {
      message: 'runsc (gVisor) was not found in $VIBE_RUNSC, on PATH or in $VIBE_CACHE/bin',
      action: 'Install it with `make cluster-build`, or pass `--executor process` (development only).',
    },
    VIBE_SANDBOX_RUNSC_START_FAILED: {
      message: 'runsc could not start the sandbox: {detail}',
      action: 'Run `vibe selftest`; check cgroups and that runsc matches the kernel.',
    },
    VIBE_SANDBOX_SCRIPT_ERROR: {
      message: 'the script threw: {message} (line {line})',
      action: 'Fed back to the model; with the offline planner, rephrase the intent.',
    },
    VIBE_SANDBOX_STDIN_FIFO_FAILED: {
      message: "could not make the sandbox's stdin FIFO: {detail}",
      action: 'Put mkfifo (coreutils) on the PATH of the operator.',
    },
    VIBE_SANDBOX_TIMEOUT: {
      message: 'the script ran longer than {timeoutMs} ms',
      action: 'A script must only declare the environment, not wait or loop.',
    },
    VIBE_SANDBOX_TOO_MANY_OBJECTS: {
      message: 'the script produced {count} objects; at most {maxObjects} are allowed',
      action: 'Declare fewer objects.',
    },
    VIBE_SANDBOX_WALL_TIMEOUT: {
      message: 'the sandbox ran longer than {wallMs} ms and was stopped',
      action:
        'The script must only declare the environment; if the sandbox is slow to start, check the executor.',
    },
    VIBE_PROGRAM_ERROR: {
      message: 'the program threw: {message}',
      action: 'Fix the Code Mode program (MCP execute).',
    },
    VIBE_PROGRAM_NOT_REPEATABLE: {
      message: 'call {n} was api.{op}({input}) before and is api.{op2}({input2}) now',
      action: 'A program must make the same calls each time it runs (do not branch on Math.random()).',
    },
    VIBE_PROGRAM_REFUSED: {
      message: '{what the program tried}: the sandbox offers no such thing',
      action: 'Use only the api object the program is given.',
    },
    VIBE_PROGRAM_STALLED: {
      message: 'the program waits on something that never finishes',
      action: 'Only api calls may be awaited.',
    },
    VIBE_PROGRAM_TIMEOUT: {
      message: 'the program computed for longer than {timeoutMs} ms without calling the api',
      action: 'Compute less between calls.',
    },
    VIBE_SDK_DUPLICATE_NAME: {
      message: '{block}("{name}"): the name "{name}" is already used by another block',
      action: 'Pick a different name.',
    },
    VIBE_SDK_INVALID_NAME: {
      message: '{block}({name}): the name must be a lowercase DNS label of at most 40 characters',
      action: 'Use a-z, 0-9 and "-", starting with a letter.',
    },
    VIBE_SDK_INVALID_SPEC: {
      message: '{block}: {field} {problem}',
      action: 'Fix the field the message names (docs/sdk.md).',
    },
    VIBE_SDK_UNKNOWN_DEPENDENCY: {
      message: '{block}: uses "{name}", but no backing service of that name was declared before it',
      action: 'Declare the database or cache first.',
    },
  },
} as const satisfies ErrorFamily;
