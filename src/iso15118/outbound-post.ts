import { request } from 'undici';
import { InvalidInput, Timeout, UpstreamFailed } from '../shared/errors.ts';

export interface PostAsk {
  url: string;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** A longer answer is refused (UpstreamFailed) without being read to its end. */
  maxBytes: number;
}

/** The URL when it is http(s): a station names the OCSP responder, and nothing else is fetched for it. */
function httpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidInput(`not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInput(`not an http(s) URL: ${raw}`);
  return url;
}

async function readCapped(body: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new UpstreamFailed(`answer longer than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * POSTs to a PKI service (OCSP responder, contract certificate pool) and answers its 2xx body. Throws
 * InvalidInput (bad URL), Timeout, or UpstreamFailed (unreachable, non-2xx, too long).
 */
export async function postForBytes(ask: PostAsk): Promise<Buffer> {
  const url = httpUrl(ask.url);
  const signal = AbortSignal.timeout(ask.timeoutMs);
  try {
    const res = await request(url, { method: 'POST', body: ask.body, headers: { 'content-type': ask.contentType, ...ask.headers }, signal });
    if (res.statusCode < 200 || res.statusCode > 299) {
      await res.body.dump();
      throw new UpstreamFailed(`HTTP ${res.statusCode} from ${url.host}`);
    }
    return await readCapped(res.body, ask.maxBytes);
  } catch (err) {
    if (err instanceof UpstreamFailed) throw err;
    if (signal.aborted) throw new Timeout(`no answer from ${url.host} within ${ask.timeoutMs} ms`);
    throw new UpstreamFailed(`${url.host} unreachable: ${(err as Error).message}`, { cause: err });
  }
}
