// A server-sent events client over real HTTP, for tests of the live stream.

export interface Received {
  id: string | null;
  event: string;
  data: string;
}

/** A server-sent events reader over real HTTP, parsing frames as a browser's EventSource does. */
export async function connect(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const received: Received[] = [];
  let raw = '';
  let wake = () => {};
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        buffer += text;
        const blocks = buffer.split(/\r\n\r\n|\n\n|\r\r/);
        buffer = blocks.pop()!;
        for (const block of blocks) {
          const frame: Received = { id: null, event: 'message', data: '' };
          const data: string[] = [];
          for (const line of block.split(/\r\n|\r|\n/)) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') data.push(value);
            else if (field === 'id') frame.id = value;
            else if (field === 'event') frame.event = value;
          }
          if (data.length === 0) continue;
          received.push({ ...frame, data: data.join('\n') });
          wake();
        }
      }
    })().catch(() => undefined);
  }
  const events = () => received.filter((e) => e.event !== 'ping');
  return {
    res,
    received,
    events,
    raw: () => raw,
    /** Resolves once `count` events (pings aside) have arrived. */
    async waitFor(count: number, timeoutMs = 3000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (events().length < count) {
        if (Date.now() > deadline) throw new Error(`got ${events().length} of ${count} events: ${JSON.stringify(events())}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return events();
    },
    close: () => abort.abort(),
  };
}

export type SseClient = Awaited<ReturnType<typeof connect>>;
