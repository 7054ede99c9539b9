import { describe, expect, it } from 'vitest';
import { generateOneTimePassword } from './password';
import { passwordPolicyProblem } from './password-policy';

const owner = { email: 'sylwia.socjalna@gops.test', name: 'Sylwia Socjalna' };

describe('password policy', () => {
  it('accepts the demo password, a passphrase and every generated one-time password', () => {
    expect(passwordPolicyProblem('Kooperacja-demo-2026', owner)).toBeNull();
    expect(passwordPolicyProblem('correct horse battery staple', owner)).toBeNull();
    for (let i = 0; i < 20; i++) expect(passwordPolicyProblem(generateOneTimePassword(), owner)).toBeNull();
  });

  it('refuses short, e-mail and common passwords with a reason', () => {
    expect(passwordPolicyProblem('Krótkie-1', owner)).toMatch(/co najmniej 12/);
    expect(passwordPolicyProblem('x'.repeat(201), owner)).toMatch(/najwyżej 200/);
    expect(passwordPolicyProblem('Sylwia.Socjalna@gops.test', owner)).toMatch(/adresem e-mail/);
    for (const common of ['password1234', '123456789012', 'qwertyuiopasdf', 'iloveyou1234', 'zaq12wsxcde3', 'aaaaaaaaaaaa', 'sylwia.socjalna1']) {
      expect(passwordPolicyProblem(common, owner), common).toMatch(/zbyt popularne/);
    }
  });
});
