// The diagnostic codes: their default severities and descriptions (package.json documents the same
// list for the settings), what quick fixes read from a diagnostic, and the severity settings.

import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DiagnosticSetting, DocbookSettings } from '../settings';
import type { SchemaProblemData } from '../schema/validate';

export const DIAGNOSTIC_SOURCE = 'docbook';

export const DIAGNOSTIC_CODES: Record<string, { severity: DiagnosticSeverity; description: string }> = {
    'unresolved-id': { severity: DiagnosticSeverity.Error, description: 'A linkend, endterm, linkends, otherterm, startref or arearefs value that no xml:id of the file\'s books defines.' },
    'duplicate-id': { severity: DiagnosticSeverity.Error, description: 'The same xml:id twice in one assembled book (or twice in one file).' },
    'missing-include': { severity: DiagnosticSeverity.Error, description: 'An xi:include href naming a file that does not exist.' },
    'remote-include': { severity: DiagnosticSeverity.Information, description: 'An xi:include href URL that no catalog or URL mapping turns into a local file, so it cannot be checked.' },
    'unresolved-xpointer': { severity: DiagnosticSeverity.Error, description: 'An xi:include xpointer naming an id that the target file lacks.' },
    'include-cycle': { severity: DiagnosticSeverity.Error, description: 'A file that includes itself through a chain of xi:include.' },
    'schema': { severity: DiagnosticSeverity.Error, description: 'A DocBook 5 file that its RELAX NG schema (DocBook 5.1CR1, docbook.schema or <?xml-model?>) does not allow: an element or attribute not allowed there, an incomplete element, an invalid value. Each file on its own, xi:include checked as an element.' },
    'not-well-formed': { severity: DiagnosticSeverity.Error, description: 'The XML is not well-formed.' },
    'undefined-entity': { severity: DiagnosticSeverity.Error, description: 'An entity reference with no declaration in the DOCTYPE or the entity files it loads.' },
    'missing-image': { severity: DiagnosticSeverity.Warning, description: 'An imagedata fileref naming a file that does not exist.' },
    'unknown-glossterm': { severity: DiagnosticSeverity.Warning, description: 'A glossterm whose text (then @baseform) matches no glossentry exactly and case-sensitively.' },
    'renamed-folder': { severity: DiagnosticSeverity.Error, description: 'A path through a folder that the reorganisation of the manuals renamed or deleted.' },
    'orphan-file': { severity: DiagnosticSeverity.Information, description: 'A DocBook file that no book includes.' },
    'unknown-profile-value': { severity: DiagnosticSeverity.Information, description: 'A profiling attribute value (os, audience, …) outside the configured list.' },
    'unreadable-file': { severity: DiagnosticSeverity.Error, description: 'A .xml file that cannot be read as XML text (binary, too large, no permission).' },
    'outside-workspace': { severity: DiagnosticSeverity.Information, description: 'An xi:include (or a link in the workspace) leading outside the workspace folders and docbook.allowedRoots: not read.' },
};

/** What a quick fix needs, kept on the diagnostic (`data`). */
export type DiagnosticData =
    | { code: 'unresolved-id'; id: string }
    | { code: 'unknown-glossterm'; term: string; baseform?: string }
    | { code: 'renamed-folder'; written: string; oldFolder: string; newFolder: string | null; rewritten?: string }
    | { code: 'missing-include'; href: string; target: string }
    | { code: 'duplicate-id'; id: string }
    | ({ code: 'schema' } & SchemaProblemData);

const SEVERITY_BY_NAME: Record<string, DiagnosticSeverity> = {
    error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
    information: DiagnosticSeverity.Information, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** The severity a code has under the settings, or undefined when it is turned off. */
export function severityOf(code: string, settings: DocbookSettings): DiagnosticSeverity | undefined {
    const setting: DiagnosticSetting | undefined = settings.diagnostics[code];
    if (setting === false) return undefined;
    if (setting === undefined || setting === true) return DIAGNOSTIC_CODES[code]?.severity ?? DiagnosticSeverity.Error;
    return SEVERITY_BY_NAME[setting] ?? DIAGNOSTIC_CODES[code]?.severity;
}
