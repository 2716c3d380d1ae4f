/**
 * Whether two experiments read the same data: their inputs
 * (`labbook.log_input`) matched by name, the last one logged under each
 * name on each side.
 *
 * Only hashes prove sameness. Two inputs are `same` when both have a hash
 * and the hashes match (wherever the files were), `changed` when the
 * hashes or the sizes differ, and `unverified` when a side has no hash
 * (over the hash limit, a URL, unreadable) and nothing else tells them
 * apart: a matching path and size are not proof.
 */
import type { IDataInput } from '../model';
import { compareNames } from './order';

export type InputChange =
  'same' | 'changed' | 'unverified' | 'added' | 'removed';

export interface IInputDiff {
  name: string;
  kind: InputChange;
  /** The input in `a` and `b`, null on the side that lacks it. */
  a: IDataInput | null;
  b: IDataInput | null;
  /** Both sides have it, under different paths. */
  pathChanged: boolean;
}

/** Compare the inputs of two experiments, one row per name, sorted by name. */
export function diffInputs(
  a: readonly IDataInput[],
  b: readonly IDataInput[]
): IInputDiff[] {
  const last = (inputs: readonly IDataInput[]) => {
    const byName = new Map<string, IDataInput>();
    for (const input of inputs) {
      byName.set(input.name, input);
    }
    return byName;
  };
  const la = last(a);
  const lb = last(b);
  const names = [...new Set([...la.keys(), ...lb.keys()])].sort(compareNames);
  return names.map(name => {
    const x = la.get(name) ?? null;
    const y = lb.get(name) ?? null;
    let kind: InputChange;
    if (!x) {
      kind = 'added';
    } else if (!y) {
      kind = 'removed';
    } else if (x.hash && y.hash) {
      kind = x.hash === y.hash ? 'same' : 'changed';
    } else if (
      typeof x.size === 'number' &&
      typeof y.size === 'number' &&
      x.size !== y.size
    ) {
      kind = 'changed';
    } else {
      kind = 'unverified';
    }
    return {
      name,
      kind,
      a: x,
      b: y,
      pathChanged: !!x && !!y && x.path !== y.path
    };
  });
}
