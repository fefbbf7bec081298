import { useState } from 'preact/hooks';
import { api, setCsrfToken } from '../shared/api.ts';

export interface Me { id: number; email: string; name?: string; role: 'admin' | 'operator' | 'viewer' | 'finance' }

export function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      const r = await api('POST', '/auth/login', { email: form.get('email'), password: form.get('password') });
      setCsrfToken(r.csrfToken);
      onLogin(r.operator);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <main class="login">
      <h1>cpms operator sign-in</h1>
      <form onSubmit={submit}>
        <label><span>Email</span><input name="email" type="email" autocomplete="username" required /></label>
        <label><span>Password</span><input name="password" type="password" autocomplete="current-password" required /></label>
        {error && <p class="error" role="alert">{error}</p>}
        <button class="primary" type="submit">Sign in</button>
      </form>
    </main>
  );
}
