// Words the UI shows for the engine's categories and severities.

import type { Category, Severity } from '../shared/messages';

export const CATEGORY_LABEL: Record<Category, string> = {
  disclosure: 'Names your employer or role',
  disclaimer: 'Disclaimer',
  partisan: 'Party political',
  solicitation: 'Political solicitation',
  government: 'Criticism of government',
  confidential: 'Possibly confidential',
  conduct: 'Conduct',
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  high: 'High risk',
  medium: 'Medium risk',
  low: 'Low risk',
};
