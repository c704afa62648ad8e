"""SVG files shaped like the ones that stall a renderer, written the way attackers write them."""

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="120" height="40" viewBox="0 0 120 40">'
)


def use_laughs(fan: int = 10, levels: int = 6) -> bytes:
    """The "billion laughs" of SVG: each level draws the level below ``fan`` times.

    With the defaults it is the issue's logo: about 2 KB that draws a million paths.
    """
    defs = ['<path id="l0" d="M0 0h4v4H0z" fill="#1f4e79"/>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use xlink:href="#l{level - 1}" x="{i}"/>' for i in range(fan))
        defs.append(f'<g id="l{level}">{uses}</g>')
    return f'{HEAD}<defs>{"".join(defs)}</defs><use xlink:href="#l{levels}"/></svg>'.encode()


def mask_fan_out(masked: int = 400, inside: int = 400) -> bytes:
    """Each of ``masked`` shapes draws a mask of ``inside`` shapes: 37 KB, 160,000 draws."""
    circles = "".join(
        f'<circle cx="{i % 40}" cy="{i // 40}" r="1" fill="#fff"/>' for i in range(inside)
    )
    rects = "".join(
        f'<rect x="{i % 120}" width="1" height="1" mask="url(#m)"/>' for i in range(masked)
    )
    return f'{HEAD}<defs><mask id="m">{circles}</mask></defs>{rects}</svg>'.encode()


def deep_nesting(depth: int = 50_000) -> bytes:
    return f'{HEAD}{"<g>" * depth}<rect width="1" height="1"/>{"</g>" * depth}</svg>'.encode()


def many_elements(count: int = 20_000) -> bytes:
    return (HEAD + '<rect width="1" height="1"/>' * count + "</svg>").encode()


def huge(width: str = "1000000", height: str = "1000000", box: str = "0 0 120 40") -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" viewBox="{box}"><rect width="1" height="1"/></svg>'
    ).encode()


def reference_loop() -> bytes:
    return (
        f'{HEAD}<g id="a"><use xlink:href="#b"/></g><g id="b"><use xlink:href="#a"/></g></svg>'
    ).encode()


def gradient_chain(length: int = 30) -> bytes:
    """Gradients that inherit from the next one, on and on."""
    grads = "".join(f'<linearGradient id="g{i}" xlink:href="#g{i + 1}"/>' for i in range(length))
    return (
        f'{HEAD}<defs>{grads}<linearGradient id="g{length}"><stop offset="0"/></linearGradient>'
        '</defs><rect width="10" height="10" fill="url(#g0)"/></svg>'
    ).encode()


def symbols_logo() -> bytes:
    """A real-world shape: an icon as a <symbol>, placed a few times, and some text."""
    uses = "".join(
        f'<use xlink:href="#icon" x="{i * 12}" width="10" height="10"/>' for i in range(6)
    )
    return (
        f'{HEAD}<defs><symbol id="icon" viewBox="0 0 24 24"><path d="M12 2 2 22h20z"/>'
        '<circle cx="12" cy="15" r="3" fill="#fff"/></symbol></defs>'
        f'{uses}<text x="80" y="26" font-size="12">Northwind</text></svg>'
    ).encode()
