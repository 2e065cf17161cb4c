#!/usr/bin/env python3
"""Writes tests/fixtures/legacy-hashes.tsv: password hashes in every format
the import accepts, each made by an implementation other than the Rust
crate that verifies it (OpenSSL's `openssl passwd`, Python's bcrypt,
passlib, argon2-cffi and hashlib), with the tool and command that made it.

Run once by hand (pip install bcrypt passlib argon2-cffi); the output is
checked in, so the tests need none of these tools.

Columns: format, password, hash, tool."""
import base64, hashlib, os, subprocess, sys

import argon2
import bcrypt
from passlib.hash import md5_crypt, sha256_crypt, sha512_crypt

PASSWORD = "Welcome#2019"
rows = []


def add(fmt, hash_, tool, password=PASSWORD):
    rows.append((fmt, password, hash_, tool))


def openssl(flag, salt=None):
    cmd = ["openssl", "passwd", flag]
    if salt:
        cmd += ["-salt", salt]
    cmd.append(PASSWORD)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()
    add({"-1": "md5-crypt", "-5": "sha256-crypt", "-6": "sha512-crypt"}[flag], out,
        "OpenSSL 3: " + " ".join(cmd[:-1]) + " PASSWORD")


def b64(raw):
    return base64.b64encode(raw).decode().rstrip("=")


openssl("-1")
openssl("-5")
openssl("-6")
openssl("-6", "saltsaltsalt")
add("sha512-crypt", sha512_crypt.using(rounds=10000).hash(PASSWORD),
    "passlib 1.7.4: sha512_crypt.using(rounds=10000).hash(PASSWORD)")
add("sha256-crypt", sha256_crypt.using(rounds=8000).hash(PASSWORD),
    "passlib 1.7.4: sha256_crypt.using(rounds=8000).hash(PASSWORD)")
add("md5-crypt", md5_crypt.hash(PASSWORD), "passlib 1.7.4: md5_crypt.hash(PASSWORD)")
for prefix in (b"2a", b"2b"):
    h = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=10, prefix=prefix)).decode()
    add("bcrypt", h, f"Python bcrypt {bcrypt.__version__}: hashpw(PASSWORD, gensalt(rounds=10, prefix={prefix!r}))")
h = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
add("bcrypt", h, f"Python bcrypt {bcrypt.__version__}: hashpw(PASSWORD, gensalt(rounds=4))")
# $2y$ (PHP's spelling) is the same algorithm as $2b$: PHP's password_hash
# writes it; here the bcrypt library's $2b$ output is respelt as PHP does.
h = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=10, prefix=b"2b")).decode()
add("bcrypt", "$2y$" + h[4:], f"Python bcrypt {bcrypt.__version__}: hashpw(PASSWORD, gensalt(rounds=10)), prefix respelt $2y$ as PHP's password_hash writes it")
ph = argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, type=argon2.Type.ID)
add("argon2id", ph.hash(PASSWORD), f"argon2-cffi {argon2.__version__}: PasswordHasher(t=2, m=19456, p=1, type=ID)")
ph = argon2.PasswordHasher(time_cost=3, memory_cost=4096, parallelism=1, type=argon2.Type.I)
add("argon2i", ph.hash(PASSWORD), f"argon2-cffi {argon2.__version__}: PasswordHasher(t=3, m=4096, p=1, type=I)")
for name, digest, rounds in (("sha1", "sha1", 100000), ("sha256", "sha256", 100000), ("sha512", "sha512", 50000)):
    salt = os.urandom(16)
    dk = hashlib.pbkdf2_hmac(digest, PASSWORD.encode(), salt, rounds)
    ident = "pbkdf2" if name == "sha1" else f"pbkdf2-{name}"
    add(f"pbkdf2-{name}", f"${ident}$i={rounds},l={len(dk)}${b64(salt)}${b64(dk)}",
        f"Python {sys.version.split()[0]} hashlib.pbkdf2_hmac({digest!r}, PASSWORD, 16 random bytes, {rounds}), PHC string")
salt = os.urandom(16)
dk = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
add("scrypt", f"$scrypt$ln=14,r=8,p=1${b64(salt)}${b64(dk)}",
    f"Python {sys.version.split()[0]} hashlib.scrypt(PASSWORD, 16 random bytes, n=2**14, r=8, p=1, dklen=32), PHC string")
for name, fn in (("SSHA", hashlib.sha1), ("SSHA256", hashlib.sha256), ("SSHA512", hashlib.sha512)):
    salt = os.urandom(8)
    add(name.lower(), "{%s}%s" % (name, base64.b64encode(fn(PASSWORD.encode() + salt).digest() + salt).decode()),
        f"Python hashlib.{fn.__name__.split('_')[-1]}(PASSWORD + 8 random bytes) + salt, base64 (slappasswd's layout)")

out = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "legacy-hashes.tsv")
with open(out, "w") as f:
    f.write("# made by scripts/make-hash-fixtures.py; format\tpassword\thash\ttool and command\n")
    for r in rows:
        f.write("\t".join(r) + "\n")
print(f"{len(rows)} hashes -> {out}")
