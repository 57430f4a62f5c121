"""Reduces build-reference.sh's ref.sql (pg_dump -s -n auth -n storage -O -x) to the SQL of
src/runners/supabase-gotrue-storage.ts: no comments, COMMENTs, SETs or non-unique indexes; keys and checks inside their
CREATE TABLE; types, tables, foreign keys, unique indexes, functions in call order, triggers, RLS. Writes gen.sql."""
import re

src = open('ref.sql').read()
blocks = re.split(r'\n--\n-- Name: [^\n]*\n--\n\n', src)
types, tables, funcs, cons, idx, trig, rls, other = [], [], [], [], [], [], [], []
for b in blocks[1:]:
    b = re.split(r'\n--\n-- PostgreSQL database dump complete', b.strip())[0].strip()
    if b.startswith('CREATE SCHEMA') or b.startswith('COMMENT ON'):
        continue
    if b.startswith('CREATE TYPE'):
        types.append(b)
    elif b.startswith(('CREATE TABLE', 'CREATE SEQUENCE', 'ALTER SEQUENCE')) or (b.startswith('ALTER TABLE') and 'SET DEFAULT' in b):
        tables.append(b)
    elif b.startswith('CREATE FUNCTION'):
        funcs.append(b)
    elif b.startswith('ALTER TABLE ONLY') and 'ADD CONSTRAINT' in b:
        cons.append(b)
    elif re.match(r'CREATE (UNIQUE )?INDEX', b):
        idx.append(b)
    elif b.startswith('CREATE TRIGGER'):
        trig.append(b)
    elif 'ENABLE ROW LEVEL SECURITY' in b:
        rls.append(b)
    else:
        other.append(b)
if other:
    raise SystemExit(f'unsorted: {[o[:80] for o in other]}')

fk = [c for c in cons if 'FOREIGN KEY' in c]
for c in (c for c in cons if 'FOREIGN KEY' not in c):
    m = re.match(r'ALTER TABLE ONLY (\S+)\n\s+ADD (CONSTRAINT .*);$', c, re.S)
    k = next(k for k, tb in enumerate(tables) if tb.startswith(f'CREATE TABLE {m.group(1)} ('))
    i = tables[k].rstrip().rfind(')')
    tables[k] = tables[k][:i].rstrip() + ',\n    ' + m.group(2) + '\n' + tables[k][i:]

names = [re.match(r'CREATE FUNCTION (\w+\.\w+)\(', f).group(1) for f in funcs]
order = []
def visit(i):
    if i in order:
        return
    body = funcs[i].split('AS', 1)[1] if 'AS' in funcs[i] else ''
    for j, n in enumerate(names):
        if j != i and n + '(' in body:
            visit(j)
    order.append(i)
for i in range(len(funcs)):
    visit(i)

out = types + tables + fk + [i for i in idx if i.startswith('CREATE UNIQUE INDEX')] + [funcs[i] for i in order] + trig + rls
text = '\n'.join(l for l in ('\n'.join(out) + '\n').split('\n') if not l.startswith('SET '))
open('gen.sql', 'w').write(re.sub(r'\n{3,}', '\n\n', text))
