// The digest poster (poster.ts) still names the describer by its old name and reads `message`;
// this forwards to the one describer (src/errors.ts) until it imports that directly.
import { describeError, type ErrorDescription } from '../../src/errors.js';

export function summarizeError(err: unknown): ErrorDescription & { message: string } {
  const described = describeError(err);
  return { ...described, message: described.error };
}
