import path from 'node:path';
import ts from 'typescript';

/**
 * Finds promises the server's code drops: a call whose value is a promise, used as a statement
 * without `await`, `void`, `return` or a `.catch`. Repositories are asynchronous at their boundary;
 * a dropped write runs on SQLite (its statement runs at once) but on PostgreSQL it runs after its
 * unit of work has ended, and is refused there. The type checker knows which calls give promises,
 * so the check reads the program as `tsc` does. `void promise` says the drop is on purpose.
 */
export function floatingPromises(tsconfig: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (config === undefined) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram(config.fileNames, config.options);
  const checker = program.getTypeChecker();
  const found: string[] = [];
  const root = path.dirname(path.resolve(tsconfig));

  const isPromise = (type: ts.Type): boolean => {
    if (type.isUnion()) return type.types.some(isPromise);
    const then = type.getProperty('then');
    return then !== undefined && (type.getProperty('catch') !== undefined || type.symbol?.name === 'PromiseLike');
  };

  /** `.catch(handler)` or `.then(onFulfilled, onRejected)`: the rejection is someone's. */
  const handlesRejection = (call: ts.CallExpression | ts.NewExpression): boolean => {
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
    const name = call.expression.name.text;
    return (name === 'catch' && call.arguments.length >= 1) || (name === 'then' && call.arguments.length >= 2);
  };

  /** A promise whatever it holds (`Promise | null` is a fair question to ask of a value). */
  const alwaysPromise = (type: ts.Type): boolean => (type.isUnion() ? type.types.every(alwaysPromise) : isPromise(type));

  const conditionsOf = (node: ts.Node): ts.Expression[] => {
    if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isConditionalExpression(node)) return [ts.isConditionalExpression(node) ? node.condition : node.expression];
    if (ts.isForStatement(node)) return node.condition ? [node.condition] : [];
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return [node.operand];
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return [node.left];
    return [];
  };

  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isExpressionStatement(node)) {
        let expression = node.expression;
        while (ts.isParenthesizedExpression(expression)) expression = expression.expression;
        if ((ts.isCallExpression(expression) || ts.isNewExpression(expression)) && !handlesRejection(expression) && isPromise(checker.getTypeAtLocation(expression))) {
          const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
          found.push(`${path.relative(root, file.fileName)}:${line + 1}: ${node.getText(file).split('\n')[0]!.slice(0, 120)}`);
        }
      }
      // A promise where a truth value is read is always true: a forgotten `await` (`if (!repository.saveWithin(...))`).
      for (const condition of conditionsOf(node)) {
        if (alwaysPromise(checker.getTypeAtLocation(condition))) {
          const { line } = file.getLineAndCharacterOfPosition(condition.getStart(file));
          found.push(`${path.relative(root, file.fileName)}:${line + 1}: a promise read as true or false: ${condition.getText(file).split('\n')[0]!.slice(0, 100)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = floatingPromises(process.argv[2] ?? 'tsconfig.server.json');
  for (const line of found) console.log(line);
  console.log(`${found.length} dropped promise${found.length === 1 ? '' : 's'}`);
  process.exitCode = found.length === 0 ? 0 : 1;
}
