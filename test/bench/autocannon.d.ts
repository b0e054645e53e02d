// The few parts of autocannon 9 (which ships no types) that api.bench.ts uses.
declare module 'autocannon' {
  export interface Histogram {
    average: number;
    p50: number;
    p99: number;
  }
  export interface RawRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Worker threads that make the requests; their `setupRequest` is then the path of a module to require. */
    workers?: number;
    requests?: Array<RawRequest & { setupRequest?: string | ((req: RawRequest, context: Record<string, unknown>) => RawRequest) }>;
    /** Anything else is handed to the workers with the options (api.bench.ts passes its `bench`). */
    [other: string]: unknown;
  }
  export interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats?: Record<string, { count: number }>;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
