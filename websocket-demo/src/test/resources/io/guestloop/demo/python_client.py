"""A client the demo's authors did not write: Python's `websockets` (Debian's python3-websockets)
talks to a running demo server. Usage: python_client.py ws://127.0.0.1:PORT, or
python_client.py wss://127.0.0.1:PORT CA.pem for a demo on --tls whose certificate CA.pem vouches for
(an ssl context that verifies the chain and the host name, as Python does by default).

It checks an echo round trip on /ws/echo and a chat round trip between two members on /ws/chat,
then prints one line per check ("ECHO ok ...", "CHAT ok ...") and "DONE". Any failure raises, so
the exit status is not 0 and the Java test shows the traceback."""

import asyncio
import json
import ssl
import sys

import websockets

TIMEOUT = 20


async def next_of_type(ws, kind):
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if message["type"] == kind:
            return message


async def main(base, cafile=None):
    options = {}
    if base.startswith("wss://"):
        options["ssl"] = ssl.create_default_context(cafile=cafile)

    async with websockets.connect(base + "/ws/echo", **options) as echo:
        # websockets offers permessage-deflate by default; the demo accepts it
        print("EXT", ",".join(extension.name for extension in echo.extensions), flush=True)
        big = json.dumps([{"type": "chat", "from": "visitor-%d" % (i % 7), "text": "line %d" % i} for i in range(400)])
        await echo.send(big)
        answer = await asyncio.wait_for(echo.recv(), TIMEOUT)
        assert answer == big, "the compressed echo of %d characters came back changed" % len(big)
        text = "hello from python websockets " + websockets.__version__
        await echo.send(text)
        answer = await asyncio.wait_for(echo.recv(), TIMEOUT)
        assert answer == text, "echo answered %r to %r" % (answer, text)
        data = bytes(range(256))
        await echo.send(data)
        answer = await asyncio.wait_for(echo.recv(), TIMEOUT)
        assert answer == data, "binary echo answered %r" % (answer,)
        print("ECHO ok", text, flush=True)

    async with websockets.connect(base + "/ws/chat", **options) as one, websockets.connect(base + "/ws/chat", **options) as two:
        first = await next_of_type(one, "welcome")
        second = await next_of_type(two, "welcome")
        await one.send("python says hi")
        heard = await next_of_type(two, "chat")
        assert heard["text"] == "python says hi", heard
        assert heard["from"] == first["you"], (heard, first)
        print("CHAT ok", first["you"], "->", second["you"], "on backend", first["backend"], "thread", heard["thread"], flush=True)
    print("DONE", flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:3]))
