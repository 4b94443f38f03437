// The real `briefbot start` in Slack HTTP mode as a child process, for tests across processes
// (kill -9 and restart, several replicas): the test's own Slack, model and data variables only,
// none inherited from the shell. Resolves once it listens, with its port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BIN } from '../core/helpers.js';

export async function startBriefbot(vars: Record<string, string>, children: ChildProcess[]): Promise<{ child: ChildProcess; port: number }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(SLACK_|DISCORD_|OPENAI_|CORPUS_DIR$|DATA_DIR$|DATABASE_URL$|LOG_LEVEL$)/.test(k)) env[k] = v;
  Object.assign(env, { SLACK_PORT: '0', LOG_LEVEL: 'info', ...vars });
  const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`briefbot start exited (${code})`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const m = /listening for events on port (\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
  });
  return { child, port };
}
