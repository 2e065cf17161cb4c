// Reads mail from maildev's JSON API.
type Mail = { to: { address: string }[]; subject: string; text: string; date: string };

export async function latestCode(address: string, notBefore = 0): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch('http://127.0.0.1:1080/email');
    const mails = (await res.json()) as Mail[];
    const mine = mails
      .filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()))
      .filter((m) => Date.parse(m.date) >= notBefore)
      .sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
    const match = mine[0]?.text.match(/code is (\d{6})/);
    if (match) return match[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no code mailed to ${address}`);
}
