export const MARKER: string;
export function renderReportReference(schema: Record<string, unknown>): string;
export function renderReportDoc(schema: Record<string, unknown>, current?: string): string;
