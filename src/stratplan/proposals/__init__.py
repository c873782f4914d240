"""What the Working Group reads of contributions: the base plan's document with the proposals
in it (`present`), and the compilation of a meeting's contributions (`compile`)."""
