import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';
import { nl } from './nl.ts';
import { pt } from './pt.ts';
import type { LangCode, Language } from './types.ts';

export type { LangCode, Language } from './types.ts';
export const LANGUAGES: Record<LangCode, Language> = { en, de, fr, es, it, nl, pt };
