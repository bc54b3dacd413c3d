/**
 * Every regular expression written in a source file: regex literals, and `new RegExp('…')` /
 * `RegExp('…')` with a literal pattern (dynamic ones are listed with `dynamic: true` so a test
 * can insist each is reviewed). Read with the TypeScript parser, so comments and strings that
 * merely look like regexes are not mistaken for them.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export interface RegexUse {
  file: string;
  line: number;
  source: string;
  flags: string;
  dynamic: boolean;
}

export function regexLiterals(file: string): RegexUse[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: RegexUse[] = [];
  const at = (node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text;
      const end = literal.lastIndexOf('/');
      found.push({
        file,
        line: at(node),
        source: literal.slice(1, end),
        flags: literal.slice(end + 1),
        dynamic: false,
      });
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp'
    ) {
      const [pattern, flags] = node.arguments ?? [];
      const literal = (n: ts.Expression | undefined): string | undefined =>
        n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined;
      const source = literal(pattern);
      found.push({
        file,
        line: at(node),
        source: source ?? pattern?.getText(sf) ?? '',
        flags: literal(flags) ?? '',
        dynamic: source === undefined,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
