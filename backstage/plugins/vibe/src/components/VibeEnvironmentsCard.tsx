/**
 * The environments of one entity: phase and conditions, preview link, time left with an extend
 * action, usage, the latest attempt's script and diagnostics, and workload logs. Polls the backend,
 * so a phase change shows within pollMs.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AttemptView, EntityRef, EnvironmentView, LogLineView, VibeApi } from '../api.js';
import { timeLeft } from './time-left.js';

export interface VibeEnvironmentsCardProps {
  api: VibeApi;
  entity: EntityRef;
  pollMs?: number;
  extendBy?: string;
}

export function VibeEnvironmentsCard({
  api,
  entity,
  pollMs = 2000,
  extendBy = '1h',
}: VibeEnvironmentsCardProps) {
  const [environments, setEnvironments] = useState<EnvironmentView[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const refresh = useCallback(
    () =>
      api.environments(entity).then(
        (items) => {
          setEnvironments(items);
          setError(undefined);
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      ),
    [api, entity.kind, entity.namespace, entity.name],
  );
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), pollMs);
    return () => clearInterval(timer);
  }, [refresh, pollMs]);

  return (
    <section data-testid="vibe-environments" style={{ fontFamily: 'sans-serif' }}>
      <h2>Environments</h2>
      {error && <p role="alert">{error}</p>}
      {environments?.length === 0 && <p>No environments.</p>}
      {environments?.map((env) => (
        <EnvironmentRow
          key={`${env.namespace}/${env.name}`}
          api={api}
          env={env}
          extendBy={extendBy}
          onChange={refresh}
        />
      ))}
    </section>
  );
}

function EnvironmentRow(props: {
  api: VibeApi;
  env: EnvironmentView;
  extendBy: string;
  onChange: () => unknown;
}) {
  const { api, env, extendBy, onChange } = props;
  const [problem, setProblem] = useState<string | undefined>();
  const [attempt, setAttempt] = useState<AttemptView | null | undefined>();
  const [logs, setLogs] = useState<LogLineView[] | undefined>();
  const act = (run: () => Promise<unknown>) =>
    run().then(
      () => setProblem(undefined),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );

  return (
    <article
      data-testid={`environment-${env.name}`}
      style={{ borderTop: '1px solid #ccc', padding: '8px 0' }}
    >
      <h3>
        {env.name} <span data-testid="phase">{env.phase}</span>
      </h3>
      {env.message && <p data-testid="message">{env.message}</p>}
      <ul data-testid="conditions">
        {env.conditions.map((c) => (
          <li key={c.type}>
            {c.type}: {c.status} ({c.reason}) {c.message}
          </li>
        ))}
      </ul>
      {env.previewUrl && (
        <p>
          Preview:{' '}
          <a data-testid="preview" href={env.previewUrl} target="_blank" rel="noreferrer">
            {env.previewUrl}
          </a>
        </p>
      )}
      <p data-testid="expires" data-expires-at={env.expiresAt ?? ''}>
        {timeLeft(env.expiresAt, Date.now())}{' '}
        <button type="button" onClick={() => act(async () => (await api.extend(env, extendBy), onChange()))}>
          Extend by {extendBy}
        </button>
      </p>
      {env.usage && (
        <p data-testid="usage">
          Usage: {env.usage.tokens} tokens, {env.usage.cost}
        </p>
      )}
      <button
        type="button"
        onClick={() => act(async () => setAttempt((await api.attempts(env)).at(-1) ?? null))}
      >
        Latest attempt
      </button>{' '}
      <button type="button" onClick={() => act(async () => setLogs(await api.logs(env, 100)))}>
        Logs
      </button>
      {problem && <p role="alert">{problem}</p>}
      {attempt === null && <p>No attempts recorded.</p>}
      {attempt && (
        <div data-testid="attempt">
          <p>
            Attempt {attempt.attempt} by {attempt.author}
            {attempt.model ? ` (${attempt.model})` : ''}
            {attempt.failure ? `: ${attempt.failure}` : ''}
          </p>
          <ul>
            {attempt.diagnostics.map((d, i) => (
              <li key={i}>
                {d.source} {d.code}: {d.message}
              </li>
            ))}
          </ul>
          {attempt.script && <pre>{attempt.script}</pre>}
        </div>
      )}
      {logs && (
        <pre data-testid="logs">
          {logs.length === 0
            ? 'No log lines.'
            : logs.map((l) => `${l.pod}/${l.container}: ${l.text}`).join('\n')}
        </pre>
      )}
    </article>
  );
}
