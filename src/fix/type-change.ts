import { stringList } from '../sql/ast.js';
import { statementAst } from './sql.js';

interface ParsedType {
  name: string;
  mods: number[];
  array: number;
}

/** Integer and float types each of which holds every value of the ones before it. */
const WIDER: Record<string, string[]> = {
  int2: ['int4', 'int8', 'numeric'],
  int4: ['int8', 'numeric'],
  int8: ['numeric'],
  float4: ['float8'],
  varchar: ['text'],
  bpchar: ['text', 'varchar'],
  citext: ['text'],
};

/**
 * Whether every value of `from` converts to `to` without loss or failure: integer widening, longer varchar,
 * varchar → text, numeric with more digits on both sides of the point, a type modifier removed. Anything else
 * (timestamp ↔ timestamptz included: the value is re-read in the session time zone) counts as narrowing.
 */
export function isWidening(from: string, to: string): boolean {
  const a = parseType(from);
  const b = parseType(to);
  if (!a || !b || a.array !== b.array) return false;
  if (a.name === b.name) {
    if (b.mods.length === 0) return true;
    if (a.mods.length === 0) return false;
    if (a.name === 'numeric') {
      const [p1, s1 = 0] = a.mods;
      const [p2, s2 = 0] = b.mods;
      return s2 >= s1 && p2 - s2 >= p1 - s1;
    }
    if (a.name === 'varchar' || a.name === 'bpchar' || a.name === 'bit' || a.name === 'varbit') return b.mods[0] >= a.mods[0];
    if (a.name === 'timestamp' || a.name === 'timestamptz' || a.name === 'time' || a.name === 'timetz' || a.name === 'interval') return b.mods[0] >= a.mods[0];
    return false;
  }
  if (a.name === 'numeric') return false;
  if (b.name === 'numeric') return b.mods.length === 0 && (WIDER[a.name] ?? []).includes('numeric');
  return (WIDER[a.name] ?? []).includes(b.name) && (b.mods.length === 0 || b.name !== 'varchar');
}

function parseType(text: string): ParsedType | undefined {
  try {
    const { ast } = statementAst(`SELECT NULL::${text}`);
    const typeName = ast.targetList?.[0]?.ResTarget?.val?.TypeCast?.typeName;
    if (!typeName) return undefined;
    const names = stringList(typeName.names);
    return {
      name: names[names.length - 1],
      mods: (typeName.typmods ?? []).map((m: any) => Number(m?.A_Const?.ival?.ival ?? NaN)),
      array: (typeName.arrayBounds ?? []).length,
    };
  } catch {
    return undefined;
  }
}
