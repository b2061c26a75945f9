import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LocaleProvider } from '../i18n/LocaleProvider';
import { LanguageSwitcher } from './LanguageSwitcher';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('the language switcher', () => {
  it('turns the document to Arabic, right to left, and remembers the choice', async () => {
    render(
      <LocaleProvider initial="en">
        <LanguageSwitcher />
      </LocaleProvider>,
    );
    const select = await screen.findByRole('combobox', { name: 'Language' });
    await waitFor(() => expect(document.documentElement.dir).toBe('ltr'));
    await act(async () => {
      fireEvent.change(select, { target: { value: 'ar' } });
    });
    await screen.findByRole('combobox', { name: 'اللغة' });
    await waitFor(() => expect(document.documentElement.dir).toBe('rtl'));
    expect(document.documentElement.lang).toBe('ar');
    expect(localStorage.getItem('nmirf.locale')).toBe('ar');
  });

  it('offers the six UN languages, each named in itself', async () => {
    render(
      <LocaleProvider initial="fr">
        <LanguageSwitcher />
      </LocaleProvider>,
    );
    await screen.findByRole('combobox', { name: 'Langue' });
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual([
      'العربية',
      '中文',
      'English',
      'Français',
      'Русский',
      'Español',
    ]);
  });
});
