// Sends requests byte for byte as built (fetch would normalise paths and refuse bodies on GET), over
// kept-alive connections, a few at a time.
import { Agent, request } from 'node:http';
import type { WireRequest } from './bad-requests';

export interface Answer {
  /** 0 when no answer came (connection reset, timeout). */
  status: number;
  /** The start of the body, for reports. */
  body: string;
  error?: string;
}

const BODY_SHOWN = 600;

export class Sender {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    concurrency: number,
    private readonly timeoutMs = 30_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  }

  /**
   * A request written on a kept-alive socket that the service closed as idle (its keep-alive timeout,
   * which a slow pause between operations can reach) is reset unread: it is sent again, once, as
   * Node's documentation of `reusedSocket` advises. Any other failure is the answer.
   */
  send(wire: WireRequest, retried = false): Promise<Answer> {
    const url = new URL(this.baseUrl);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (answer: Answer) => {
        if (!settled) {
          settled = true;
          resolve(answer);
        }
      };
      const outgoing = request(
        {
          host: url.hostname,
          port: url.port,
          method: wire.method,
          path: wire.target,
          agent: this.agent,
          headers: { ...wire.headers, ...(wire.body ? { 'content-length': String(wire.body.length) } : {}) },
          timeout: this.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on('data', (chunk: Buffer) => {
            if (kept < BODY_SHOWN) chunks.push(chunk);
            kept += chunk.length;
          });
          response.on('end', () =>
            finish({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_SHOWN),
            }),
          );
          response.on('error', (error) =>
            finish({ status: response.statusCode ?? 0, body: '', error: error.message }),
          );
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (!retried && !settled && outgoing.reusedSocket && error.code === 'ECONNRESET') {
          settled = true;
          resolve(this.send(wire, true));
          return;
        }
        finish({ status: 0, body: '', error: error.message });
      });
      outgoing.end(wire.body);
    });
  }

  /**
   * Answers to every request, in order, with at most `concurrency` in flight (the agent's sockets).
   * Each request is written just before it is sent.
   */
  async sendAll(requests: Array<() => WireRequest>, concurrency: number): Promise<Answer[]> {
    const answers: Answer[] = new Array(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const index = next;
        next += 1;
        answers[index] = await this.send(requests[index]());
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return answers;
  }

  close(): void {
    this.agent.destroy();
  }
}
