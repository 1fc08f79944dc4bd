// Settings of the language service. The LSP adapter reads them from the `docbook.*` configuration;
// docbook-check from `.docbook.json` or flags. Every field has a default that fits the OpenStack manuals.

export type DiagnosticSetting = boolean | 'error' | 'warning' | 'information' | 'hint';

export interface DocbookSettings {
    /** Globs (relative to a workspace folder) of XML files to skip, besides .git, node_modules and target. */
    exclude: string[];
    /** OASIS XML catalog files (absolute or relative to the first workspace folder). */
    catalogs: string[];
    /** URL prefix -> local folder, for includes and entity files given by URL. */
    urlMappings: Record<string, string>;
    /** Folder renamed (new name) or deleted (null) in a reorganisation of the manuals. */
    folderRenames: Record<string, string | null>;
    /**
     * The glossary collection the build passes as a parameter, relative to a book's folder; looked
     * for from each book's folder upward to the workspace folder.
     */
    glossaryCollection: string[];
    /** Per diagnostic code: false turns it off, true uses its default severity, or a severity. */
    diagnostics: Record<string, DiagnosticSetting>;
    /** Allowed values per profiling attribute (os, audience, …) for unknown-profile-value. */
    profileValues: Record<string, string[]>;
    /** Files larger than this are not indexed (bytes). */
    maxFileSize: number;
    /**
     * Folders besides the workspace folders that links and includes may lead into (absolute, or
     * relative to the first workspace folder); the urlMappings' and catalogs' folders are allowed too.
     */
    allowedRoots: string[];
    /**
     * `allXml`: report well-formedness (not-well-formed, namespace-error) for every XML file, not
     * only DocBook ones. docbook-check always does, as the gate parsed every .xml file.
     */
    wellFormedness: { allXml: boolean };
    /**
     * A RELAX NG schema (XML syntax) to check DocBook 5 files against instead of the built-in DocBook
     * 5.1CR1 one: absolute, or relative to the file's workspace folder; '' for the built-in schema.
     * An `<?xml-model href="…"?>` in a file wins over it.
     */
    schema: string;
}

/** openstack-manuals commit 64b6c9261e (bug 1220407), September 2013. */
export const OPENSTACK_FOLDER_RENAMES: Record<string, string | null> = {
    'basic-install': null,
    'cli-guide': null,
    'docbkx-example': null,
    'openstack-block-storage-admin': null,
    'openstack-compute-admin': null,
    'openstack-config': 'config-reference',
    'openstack-ha': 'high-availability-guide',
    'openstack-image': 'image-guide',
    'openstack-install': 'install-guide',
    'openstack-network-connectivity-admin': 'admin-guide-network',
    'openstack-object-storage-admin': null,
    'openstack-security': 'security-guide',
    'openstack-training': 'training-guide',
    'openstack-user': 'user-guide',
    'openstack-user-admin': 'user-guide-admin',
};

export function defaultSettings(): DocbookSettings {
    return {
        exclude: [],
        catalogs: [],
        urlMappings: {},
        folderRenames: { ...OPENSTACK_FOLDER_RENAMES },
        glossaryCollection: ['../glossary/glossary-terms.xml'],
        diagnostics: { 'orphan-file': false, 'unknown-profile-value': false },
        profileValues: {},
        maxFileSize: 16 * 1024 * 1024,
        allowedRoots: [],
        wellFormedness: { allXml: false },
        schema: '',
    };
}

/** Fills what a partial (user) configuration leaves out; ignores fields of the wrong type. */
export function resolveSettings(partial: unknown): DocbookSettings {
    const d = defaultSettings();
    if (!partial || typeof partial !== 'object') return d;
    const p = partial as Record<string, unknown>;
    const strings = (v: unknown): string[] | undefined => Array.isArray(v) && v.every((x) => typeof x === 'string') ? v as string[] : undefined;
    const record = (v: unknown): Record<string, unknown> | undefined => v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
    d.exclude = strings(p.exclude) ?? d.exclude;
    d.catalogs = strings(p.catalogs) ?? d.catalogs;
    d.allowedRoots = strings(p.allowedRoots) ?? d.allowedRoots;
    d.glossaryCollection = strings(p.glossaryCollection) ?? d.glossaryCollection;
    const mappings = record(p.urlMappings);
    if (mappings) d.urlMappings = Object.fromEntries(Object.entries(mappings).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const renames = record(p.folderRenames);
    if (renames) d.folderRenames = Object.fromEntries(Object.entries(renames).filter(([, v]) => typeof v === 'string' || v === null)) as Record<string, string | null>;
    const diags = record(p.diagnostics);
    if (diags) d.diagnostics = { ...d.diagnostics, ...Object.fromEntries(Object.entries(diags).filter(([, v]) => typeof v === 'boolean' || typeof v === 'string')) as Record<string, DiagnosticSetting> };
    const profiles = record(p.profileValues);
    if (profiles) d.profileValues = Object.fromEntries(Object.entries(profiles).filter(([, v]) => strings(v))) as Record<string, string[]>;
    if (typeof p.schema === 'string') d.schema = p.schema.trim();
    if (typeof p.maxFileSize === 'number' && p.maxFileSize > 0) d.maxFileSize = p.maxFileSize;
    // `wellFormedness.allXml` arrives nested from VS Code, and may be written either way in .docbook.json.
    const allXml = record(p.wellFormedness)?.allXml ?? p['wellFormedness.allXml'];
    if (typeof allXml === 'boolean') d.wellFormedness = { allXml };
    return d;
}
