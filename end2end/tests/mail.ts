// Reads mail from maildev's JSON API.
type Mail = { to: { address: string }[]; subject: string; text: string; date: string };

export async function latestCode(address: string, notBefore = 0): Promise<string> {
  for (let i = 0; i < 50; i++) {
    // The first six-digit number, whatever the mail's language.
    const match = (await latestMail(address, notBefore)).text.match(/\b(\d{6})\b/);
    if (match) return match[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no code mailed to ${address}`);
}

export async function latestMail(address: string, notBefore = 0): Promise<Mail> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch('http://127.0.0.1:1080/email');
    const mails = (await res.json()) as Mail[];
    const mine = mails
      .filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()))
      .filter((m) => Date.parse(m.date) >= notBefore)
      .sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
    if (mine[0]) return mine[0];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${address}`);
}

/** The newest mail to `address` whose subject contains `subject` (several
 * mails can share one second, so the newest mail alone is not enough). */
export async function mailAbout(address: string, subject: string, notBefore = 0): Promise<Mail> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch('http://127.0.0.1:1080/email');
    const mails = (await res.json()) as Mail[];
    const found = mails
      .filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()))
      .filter((m) => m.subject.includes(subject) && Date.parse(m.date) >= notBefore)
      .sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
    if (found[0]) return found[0];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${address} about "${subject}"`);
}
