/**
 * Finds values a page's browser code takes from a `.server` module. Remix's browser build keeps a
 * route's default export, `meta`, `links`, `handle`, the error boundary (and whatever they use),
 * drops `loader`, `action` and `headers`, and replaces every `.server` module with an empty one: a
 * constant imported from one is `undefined` in the browser, so the page renders differently there
 * than on the server (the templates page said "at most undefined characters" and failed to
 * hydrate). The type checker cannot see it; this follows the module's own references instead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** What Remix keeps in the browser bundle of a route module (everything, in a component). */
const BROWSER_EXPORTS = new Set(['default', 'meta', 'links', 'handle', 'ErrorBoundary', 'HydrateFallback', 'Layout', 'shouldRevalidate', 'clientLoader', 'clientAction']);

export type ServerImportUse = { file: string; name: string; module: string };

const isServerModule = (specifier: string) => /\.server(\.[jt]sx?)?$/.test(specifier);

/** Names an identifier brings into scope where it is a reference (not a property name or a type). */
function referencedNames(node: ts.Node, into: Set<string>): void {
  if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportDeclaration(node)) return;
  if (ts.isIdentifier(node)) {
    const parent = node.parent;
    const isPropertyName =
      (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
      (ts.isPropertyAssignment(parent) && parent.name === node) ||
      (ts.isJsxAttribute(parent) && parent.name === node) ||
      (ts.isMethodDeclaration(parent) && parent.name === node) ||
      (ts.isBindingElement(parent) && parent.propertyName === node);
    if (!isPropertyName) into.add(node.text);
    return;
  }
  node.forEachChild((child) => referencedNames(child, into));
}

const hasExport = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const hasDefault = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);

/** The `.server` imports (values, not types) that the browser part of `source` uses. */
export function serverImportsInBrowserCode(file: string, source: string, { wholeModule }: { wholeModule: boolean }): ServerImportUse[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const serverBindings = new Map<string, string>();
  const declarations = new Map<string, ts.Node>();
  const roots: ts.Node[] = [];
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) {
      const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      const clause = statement.importClause;
      if (!isServerModule(specifier) || !clause || clause.isTypeOnly) continue;
      if (clause.name) serverBindings.set(clause.name.text, specifier);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) serverBindings.set(bindings.name.text, specifier);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) if (!element.isTypeOnly) serverBindings.set(element.name.text, specifier);
      continue;
    }
    const names: string[] = [];
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.push(statement.name.text);
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    for (const name of names) declarations.set(name, statement);
    const browserExport = hasExport(statement) && (hasDefault(statement) || names.some((name) => BROWSER_EXPORTS.has(name)));
    // Statements that declare nothing by name run when the module loads, in the browser too.
    if (wholeModule || browserExport || (names.length === 0 && !ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement))) roots.push(statement);
  }
  if (serverBindings.size === 0) return [];
  const seen = new Set<ts.Node>(roots);
  const queue = [...roots];
  const used = new Set<string>();
  while (queue.length > 0) {
    const names = new Set<string>();
    referencedNames(queue.pop()!, names);
    for (const name of names) {
      if (serverBindings.has(name)) used.add(name);
      const declaration = declarations.get(name);
      if (declaration && !seen.has(declaration)) {
        seen.add(declaration);
        queue.push(declaration);
      }
    }
  }
  return [...used].map((name) => ({ file, name, module: serverBindings.get(name)! }));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.(server|test)\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** Every route module and component in `appDir` whose browser code uses a `.server` import. */
export function findServerImportsInBrowserCode(appDir = path.resolve('app')): ServerImportUse[] {
  const routes = [path.join(appDir, 'root.tsx'), ...sourceFiles(path.join(appDir, 'routes'))].map((file) => ({ file, wholeModule: false }));
  const components = sourceFiles(path.join(appDir, 'components')).map((file) => ({ file, wholeModule: true }));
  return [...routes, ...components].flatMap(({ file, wholeModule }) => serverImportsInBrowserCode(path.relative(process.cwd(), file), readFileSync(file, 'utf8'), { wholeModule }));
}
