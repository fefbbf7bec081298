// The Redis server cluster tests need (127.0.0.1:6379 unless REDIS_URL; .ci/run starts one).
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when a Redis server answers PING at REDIS_URL; suites needing one skip themselves otherwise. */
export async function isRedisUp(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined); // reported through the rejected connect below
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false; // no Redis here: the caller skips with a message
  } finally {
    probe.disconnect();
  }
}
