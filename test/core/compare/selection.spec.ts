import { describe, expect, it } from 'vitest';
import { compareSelectionProblem } from '../../../src/core/compare/selection';

describe('compareSelectionProblem', () => {
  it('asks for 2 to 50 experiments with a message the view shows', () => {
    expect(compareSelectionProblem(1)).toMatch(/at least 2/);
    expect(compareSelectionProblem(0)).toMatch(/at least 2/);
    expect(compareSelectionProblem(2)).toBeNull();
    expect(compareSelectionProblem(50)).toBeNull();
    expect(compareSelectionProblem(61)).toBe(
      'Compare at most 50 experiments at a time (61 selected).'
    );
  });
});
