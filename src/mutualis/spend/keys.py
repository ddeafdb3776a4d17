"""The keys (exercice, numéro de mandat) met in one file, to refuse a second occurrence, in flat memory.

Finance software numbers a year's mandates 1, 2, 3…: such a number takes one bit of a per-year bitmap (a
million mandates: 125 kB, where a set would take some 70 MB). Other numbers (letters, leading zeros, very
large) go to an ordinary set.
"""

BITMAP_LIMIT = 1 << 27  # a bitmap stays under 16 MB


class SeenKeys:
    def __init__(self):
        self._bits: dict[int, bytearray] = {}
        self._others: set[tuple[int, str]] = set()

    def add(self, year: int, number: str) -> bool:
        """Record the key; True when it had already been recorded."""
        if number.isascii() and number.isdigit() and (number == "0" or number[0] != "0"):
            value = int(number)
            if value < BITMAP_LIMIT:
                bits = self._bits.setdefault(year, bytearray())
                index, mask = value >> 3, 1 << (value & 7)
                if index >= len(bits):
                    bits.extend(bytes(max(index + 1 - len(bits), len(bits))))  # doubling: amortised
                if bits[index] & mask:
                    return True
                bits[index] |= mask
                return False
        key = (year, number)
        if key in self._others:
            return True
        self._others.add(key)
        return False
