export const SCHEMA_ID: string;
export function generateReportSchema(root?: string, schemaVersion?: string): Record<string, unknown>;
export function renderReportSchema(schema: Record<string, unknown>): string;
