// The "DocBook Books" tree in the Explorer: books -> chapters -> sections in include order, from
// the server's `docbook/bookTree`. Refreshed whenever the server reports a (re-)indexed workspace.
// The books come alone, a book's tree when the view opens it: the whole of 340 books is megabytes.

import * as vscode from 'vscode';
import type { BookNode } from '../../server/src/api';
import { BookTreeRequest } from '../../server/src/lsp/protocol';
import { DocbookServer } from './docbookServer';

export const BOOK_VIEW_ID = 'docbook.books';

/**
 * A tree node with what the view needs beyond the server's node: a stable id and its parent. A book
 * from the books-only answer has no children yet (`node.childrenToFetch` says whether it has some).
 */
export class BookItem {
    readonly children: BookItem[];
    constructor(readonly node: BookNode, readonly parent: BookItem | undefined, readonly id: string) {
        this.children = childItems(node.children, this);
    }
}

function childItems(nodes: BookNode[], parent: BookItem): BookItem[] {
    return nodes.map((c, i) => new BookItem(c, parent, `${parent.id}/${i}:${c.element}:${c.id ?? c.label}`));
}

/** Up to this many books the view opens them all at first sight (a few requests); more start closed. */
const BOOKS_SHOWN_OPEN = 10;

const PROBLEM_TEXT: Record<NonNullable<BookNode['problem']>, string> = {
    missing: 'missing include',
    remote: 'remote include (not checked)',
    cycle: 'include cycle',
    'unresolved-xpointer': 'xpointer names no element',
    invalid: 'invalid include',
    'outside-workspace': 'outside the workspace (not read)',
};

function iconOf(node: BookNode): vscode.ThemeIcon {
    if (node.problem === 'remote' || node.problem === 'outside-workspace') return new vscode.ThemeIcon('cloud', new vscode.ThemeColor('problemsInfoIcon.foreground'));
    if (node.problem) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    switch (node.element) {
        case 'set': return new vscode.ThemeIcon('library');
        case 'book': return new vscode.ThemeIcon('book');
        case 'part': return new vscode.ThemeIcon('folder-library');
        case 'chapter': case 'appendix': case 'preface': case 'article': return new vscode.ThemeIcon('file-text');
        case 'glossary': return new vscode.ThemeIcon('list-unordered');
        default: return new vscode.ThemeIcon('symbol-namespace');
    }
}

export class BookTreeProvider implements vscode.TreeDataProvider<BookItem>, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<BookItem | undefined>();
    readonly onDidChangeTreeData = this.changed.event;
    /** The tree on screen; replaced only once a new one has arrived, so the view never sees a half state. */
    private roots: BookItem[] | undefined;
    private loading: Promise<BookItem[]> | undefined;
    /** Each book's children, asked for when the view opens the book; dropped with the roots they belong to. */
    private bookChildren = new Map<BookItem, Promise<BookItem[]>>();
    private readonly subscription: vscode.Disposable;

    constructor(private readonly server: DocbookServer) {
        this.subscription = server.onStatus((s) => { if (s.state === 'ready') this.refresh(); });
    }

    refresh(): void {
        if (!this.server.started) return;
        // Loads run one after another; only the newest result is shown.
        const load = (this.loading ?? Promise.resolve([])).catch(() => []).then(() => this.load());
        this.loading = load;
        load.then((items) => {
            if (this.loading !== load) return;
            this.roots = items;
            // The view asks again for the children of the books it shows open (ids are stable: it keeps what is open).
            this.bookChildren = new Map();
            this.changed.fire(undefined);
        }, (e) => this.server.client.error('could not read the book tree', e));
    }

    getTreeItem(item: BookItem): vscode.TreeItem {
        const { node } = item;
        const hasChildren = node.children.length > 0 || !!node.childrenToFetch;
        const shownOpen = !item.parent && (this.roots?.length ?? 0) <= BOOKS_SHOWN_OPEN;
        const collapsible = !hasChildren
            ? vscode.TreeItemCollapsibleState.None
            : shownOpen ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
        const treeItem = new vscode.TreeItem(node.label, collapsible);
        treeItem.id = item.id;
        treeItem.iconPath = iconOf(node);
        const uri = vscode.Uri.parse(node.uri);
        treeItem.resourceUri = uri;
        treeItem.description = node.problem ? PROBLEM_TEXT[node.problem] : node.id ? `#${node.id}` : undefined;
        const where = vscode.workspace.asRelativePath(uri);
        treeItem.tooltip = node.problem
            ? `${PROBLEM_TEXT[node.problem]}: ${node.url ?? node.label}\nincluded from ${where}:${node.range.start.line + 1}`
            : `${node.element}${node.id ? ` #${node.id}` : ''}\n${where}:${node.range.start.line + 1}`;
        treeItem.contextValue = node.problem ? 'docbook.brokenInclude' : `docbook.${node.element}`;
        const r = node.range;
        const selection = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
        treeItem.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection, preview: true }] };
        return treeItem;
    }

    async getChildren(item?: BookItem): Promise<BookItem[]> {
        if (item) return item.parent || !item.node.childrenToFetch ? item.children : this.childrenOfBook(item);
        if (this.roots) return this.roots;
        if (!this.server.started) return [];
        if (!this.loading) this.refresh();
        return (await this.loading) ?? [];
    }

    getParent(item: BookItem): BookItem | undefined {
        return item.parent;
    }

    /** The first node (in book order) that stands for content of this file. */
    async findFirst(uri: vscode.Uri): Promise<BookItem | undefined> {
        const target = uri.toString();
        const isTarget = (i: BookItem): boolean => !i.node.problem && vscode.Uri.parse(i.node.uri).toString() === target;
        const search = (items: BookItem[]): BookItem | undefined => {
            for (const i of items) {
                if (isTarget(i)) return i;
                const found = search(i.children);
                if (found) return found;
            }
            return undefined;
        };
        const roots = await this.getChildren();
        // Only the books that hold the file can show it: their trees are the ones fetched.
        const holders = await this.server.client.sendRequest(BookTreeRequest, { books: 'only', holding: uri.toString() });
        const holding = new Set(holders.map((n) => n.uri));
        for (const root of roots) {
            if (isTarget(root)) return root;
            if (!holding.has(root.node.uri)) continue;
            const found = search(await this.getChildren(root));
            if (found) return found;
        }
        return undefined;
    }

    /** A book's children, fetched once per refresh. */
    private childrenOfBook(book: BookItem): Promise<BookItem[]> {
        let children = this.bookChildren.get(book);
        if (!children) {
            children = this.server.client.sendRequest(BookTreeRequest, { book: book.node.uri })
                .then(([node]) => (node ? childItems(node.children, book) : []));
            // A failed request is asked again the next time the view opens the book.
            children.catch(() => this.bookChildren.delete(book));
            this.bookChildren.set(book, children);
        }
        return children;
    }

    private async load(): Promise<BookItem[]> {
        await this.server.whenReady();
        const nodes = await this.server.client.sendRequest(BookTreeRequest, { books: 'only' });
        return nodes.map((n, i) => new BookItem(n, undefined, `${i}:${n.uri}`));
    }

    dispose(): void {
        this.subscription.dispose();
        this.changed.dispose();
    }
}

/** Registers the view and keeps the active editor's file selected in it. */
export function registerBookView(provider: BookTreeProvider, subscriptions: vscode.Disposable[]): vscode.TreeView<BookItem> {
    const view = vscode.window.createTreeView(BOOK_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
    const revealActive = async (): Promise<void> => {
        const editor = vscode.window.activeTextEditor;
        if (!view.visible || !editor || editor.document.languageId !== 'xml') return;
        const item = await provider.findFirst(editor.document.uri);
        if (item) await view.reveal(item, { select: true, focus: false, expand: false });
    };
    const reveal = (): void => { revealActive().catch(() => undefined); };
    subscriptions.push(
        view,
        vscode.window.onDidChangeActiveTextEditor(reveal),
        view.onDidChangeVisibility(reveal),
    );
    return view;
}
