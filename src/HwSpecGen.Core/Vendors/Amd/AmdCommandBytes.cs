using System;
using System.Buffers.Binary;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>Raw command-buffer bytes for hostile or random guests: puts any opcode (named or not) into the discriminator the generated <see cref="CommandSet"/> descriptor declares.</summary>
public static class AmdCommandBytes
{
    /// <summary>Overwrites the opcode of the 16-byte command in <paramref name="command"/> with <paramref name="opcode"/>.</summary>
    public static void SetOpcode(Span<byte> command, ulong opcode)
    {
        Span<ulong> words = stackalloc ulong[2];
        words[0] = BinaryPrimitives.ReadUInt64LittleEndian(command);
        words[1] = BinaryPrimitives.ReadUInt64LittleEndian(command[8..]);
        foreach (var segment in CommandSet.Descriptor.Discriminator)
        {
            segment.Insert(words, opcode);
            opcode >>= segment.Width;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(command, words[0]);
        BinaryPrimitives.WriteUInt64LittleEndian(command[8..], words[1]);
    }
}
