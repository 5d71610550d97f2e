// The log-in / sign-up form: its two modes, and each field's error from the server's details.
import { ApiError } from '../api.ts';
import { $, byTestId, showError } from '../dom.ts';

export function setAuthMode(signingUp: boolean) {
  $('#auth-title').textContent = signingUp ? 'Create your taskstream account' : 'Log in to taskstream';
  $('#name-field').hidden = !signingUp;
  byTestId('auth-submit').textContent = signingUp ? 'Sign up' : 'Log in';
  byTestId('auth-toggle').textContent = signingUp ? 'Have an account? Log in' : 'New here? Create an account';
  byTestId<HTMLInputElement>('auth-password').autocomplete = signingUp ? 'new-password' : 'current-password';
  clearAuthErrors();
}

export function clearAuthErrors() {
  for (const id of ['auth-name-error', 'auth-email-error', 'auth-password-error', 'auth-error']) $(`#${id}`).textContent = '';
}

export function authFields() {
  return {
    email: byTestId<HTMLInputElement>('auth-email').value,
    password: byTestId<HTMLInputElement>('auth-password').value,
    name: byTestId<HTMLInputElement>('auth-name').value.trim(),
  };
}

/** Puts each failed field's message under it; anything else under the form. */
export function showAuthError(error: unknown) {
  if (error instanceof ApiError && error.details.length) {
    for (const detail of error.details) {
      const target = document.getElementById(`auth-${detail.field}-error`);
      if (target) target.textContent = `${detail.field[0]!.toUpperCase()}${detail.field.slice(1)} ${detail.message}`;
      else showError($('#auth-error'), error);
    }
  } else if (error instanceof ApiError && error.code === 'EMAIL_TAKEN') {
    $('#auth-email-error').textContent = error.message;
  } else {
    showError($('#auth-error'), error);
  }
}
