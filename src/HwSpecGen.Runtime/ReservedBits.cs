using System.Runtime.CompilerServices;

namespace HwSpecGen.Runtime;

/// <summary>Eight 64-bit words stored inline (no allocation): the reserved bits found set, per word.</summary>
[InlineArray(8)]
public struct ReservedBits
{
    private ulong _element0;
}
