import { describe, expect, it } from 'vitest';
import { samplesOf } from './prometheus-text.js';

const exposition = [
  '# HELP traefik_service_requests_total How many HTTP requests processed on a service, partitioned by status code, protocol, and method.',
  '# TYPE traefik_service_requests_total counter',
  'traefik_service_requests_total{code="200",method="GET",protocol="http",service="vibe-t-web-web-80@kubernetes"} 12',
  'traefik_service_requests_total{code="404",method="GET",protocol="http",service="vibe-t-web-web-80@kubernetes"} 3 1712345678000',
  'traefik_service_requests_total{service="odd \\"quoted\\" \\\\ name\\nline",code="200"} 1e3',
  'traefik_service_requests_total_extra{service="x"} 99',
  'traefik_service_request_duration_seconds_bucket{service="x",le="+Inf"} 5',
  'traefik_service_requests_total{service="broken} 4',
  'traefik_service_requests_total{service="nan"} NaN',
  '',
  'traefik_service_requests_total 7',
].join('\n');

describe('samplesOf', () => {
  it('reads each sample of the metric with its labels and value, and nothing of other metrics', () => {
    const samples = samplesOf(exposition, 'traefik_service_requests_total');
    expect(samples.map((s) => s.labels.service)).toEqual([
      'vibe-t-web-web-80@kubernetes',
      'vibe-t-web-web-80@kubernetes',
      'odd "quoted" \\ name\nline',
      'nan',
      undefined,
    ]);
    expect(samples.map((s) => s.value)).toEqual([12, 3, 1000, NaN, 7]);
    expect(samples[0]!.labels).toEqual({
      code: '200',
      method: 'GET',
      protocol: 'http',
      service: 'vibe-t-web-web-80@kubernetes',
    });
  });

  it('skips lines that do not parse instead of failing the whole read', () => {
    expect(
      samplesOf(
        'traefik_x{a=1} 3\ntraefik_x{a="1"}3\ntraefik_x{a="1"} 4\ntraefik_x{a="1"} four',
        'traefik_x',
      ),
    ).toEqual([{ labels: { a: '1' }, value: 4 }]);
  });

  it('returns nothing from an empty exposition or one without the metric', () => {
    expect(samplesOf('', 'traefik_service_requests_total')).toEqual([]);
    expect(samplesOf('# only comments\nother 1\n', 'traefik_service_requests_total')).toEqual([]);
  });
});
