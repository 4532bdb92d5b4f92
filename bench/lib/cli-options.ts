/** Option parsers shared by the benchmark scripts' command lines (commander). */
import { InvalidArgumentError } from 'commander';

export const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

export const positive = (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number');
  return n;
};

/** A case-insensitive regular expression (file-name filters). */
export const regex = (v: string) => {
  try {
    return new RegExp(v, 'i');
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};
