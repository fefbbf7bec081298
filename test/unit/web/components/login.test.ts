import { expect } from 'chai';
import { h } from 'preact';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { fakeApi, useDom } from '../../../helpers/dom.ts';
import { Login } from '../../../../web/dashboard/login.tsx';

describe('web component: Login', () => {
  useDom();
  afterEach(cleanup);

  it('should label the fields and show the error of a refused sign-in', async () => {
    fakeApi({ 'POST /auth/login': { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'wrong email or password' } } } });
    const r = render(h(Login, { onLogin: () => undefined }));
    fireEvent.input(r.getByLabelText('Email'), { target: { value: 'a@example.com' } });
    fireEvent.input(r.getByLabelText('Password'), { target: { value: 'x' } });
    fireEvent.submit(r.getByRole('button', { name: 'Sign in' }).closest('form')!);
    await waitFor(() => expect(r.getByRole('alert').textContent).to.equal('wrong email or password'));
  });
});
