/** One command-line option's value, read with the unit grammar of src/scenario/units.ts. */
import { UnitError } from '../../scenario/units.ts';

/**
 * Parses one option; a bad value becomes one line naming the option, the syntax expected and the
 * value found: `--bandwidth: expected a bandwidth such as …, found "fast" (no leading number)`.
 */
export function readOption<T>(option: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof UnitError) throw new Error(`${option}: ${error.message}`);
    throw error;
  }
}
