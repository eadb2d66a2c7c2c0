#!/usr/bin/env python3
"""A local SMTP sink for the end-to-end tests: accepts every message (no authentication, no TLS)
and appends it, decoded, to a file as one JSON line {"to": [...], "subject": ..., "body": ...}.
Prints the port it listens on (0 in argv: any free one) as its first line of output.

    .ci/smtp-sink.py PORT MAIL_FILE
"""
import asyncio
import email
import email.policy
import json
import sys


async def session(reader, writer, out):
    def say(line):
        writer.write((line + "\r\n").encode())

    say("220 localhost e2e sink")
    rcpt = []
    while True:
        line = await reader.readline()
        if not line:
            break
        cmd = line.decode("utf-8", "replace").strip()
        verb = cmd[:4].upper()
        if verb in ("EHLO", "HELO"):
            say("250-localhost")
            say("250-8BITMIME")
            say("250 SMTPUTF8")
        elif verb == "MAIL":
            rcpt = []
            say("250 OK")
        elif verb == "RCPT":
            rcpt.append(cmd.split(":", 1)[1].strip().strip("<>"))
            say("250 OK")
        elif verb == "DATA":
            say("354 end with .")
            await writer.drain()
            data = bytearray()
            while True:
                part = await reader.readline()
                if not part or part in (b".\r\n", b".\n"):
                    break
                data += part[1:] if part.startswith(b"..") else part
            msg = email.message_from_bytes(bytes(data), policy=email.policy.default)
            body = msg.get_body(preferencelist=("plain", "html"))
            record = {
                "to": rcpt,
                "subject": str(msg.get("subject", "")),
                "body": body.get_content() if body is not None else "",
            }
            with open(out, "a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
            say("250 OK queued")
        elif verb == "QUIT":
            say("221 bye")
            await writer.drain()
            break
        else:
            say("250 OK")
        await writer.drain()
    writer.close()


async def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    open(out, "a").close()
    server = await asyncio.start_server(lambda r, w: session(r, w, out), "127.0.0.1", port)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
