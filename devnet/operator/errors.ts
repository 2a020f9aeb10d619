import { VigilError } from '../../src/index.js';

/**
 * A request the operator refuses: an HTTP status (4xx), the field at fault and why. The API turns
 * it into `{ error: { status, code, field, message } }`; nothing is changed when it is thrown.
 */
export class OperatorApiError extends VigilError {
  override name = 'OperatorApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export const badField = (field: string, message: string, code = 'INVALID_FIELD') =>
  new OperatorApiError(400, code, field, message);
export const notFound = (field: string, message: string) => new OperatorApiError(404, 'NOT_FOUND', field, message);
