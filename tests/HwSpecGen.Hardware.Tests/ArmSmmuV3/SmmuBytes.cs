using System;
using System.Buffers.Binary;
using System.Linq;
using System.Numerics;
using HwSpecGen.Runtime;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// How the two independent sources see SMMUv3 structures in memory: Linux builds commands, STEs and CDs as
/// little-endian 64-bit words (<c>u64 cmd[2]</c>, <c>__le64 data[8]</c>) with <c>FIELD_PREP</c>/<c>GENMASK_ULL</c>;
/// QEMU reads them as little-endian 32-bit words (<c>uint32_t word[]</c> after <c>le32_to_cpus</c>) with
/// <c>extract32</c>/<c>deposit32</c>.
/// </summary>
internal static class SmmuBytes
{
    /// <summary>Bytes of a structure given as 64-bit words (Linux <c>data[k]</c>).</summary>
    public static byte[] FromQwords(params ulong[] qwords)
    {
        var bytes = new byte[qwords.Length * 8];
        for (var i = 0; i < qwords.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), qwords[i]);
        }

        return bytes;
    }

    /// <summary>Bytes of a structure given as 32-bit words (QEMU <c>word[k]</c>).</summary>
    public static byte[] FromWords(params uint[] words)
    {
        var bytes = new byte[words.Length * 4];
        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), words[i]);
        }

        return bytes;
    }

    /// <summary>The 64-bit words of <paramref name="bytes"/> (Linux <c>le64_to_cpu(data[k])</c>).</summary>
    public static ulong[] Qwords(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length / 8).Select(i => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * 8))).ToArray();

    /// <summary>The 32-bit words of <paramref name="bytes"/> (QEMU <c>word[k]</c> after <c>le32_to_cpus</c>).</summary>
    public static uint[] Words(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4))).ToArray();

    /// <summary>The bytes any generated format writes.</summary>
    public static byte[] BytesOf<T>(T value)
        where T : struct, IHardwareFormat<T>
    {
        var bytes = new byte[T.ByteSize];
        value.WriteTo(bytes);
        return bytes;
    }

    /// <summary>Decodes <paramref name="bytes"/> and fails the test when the constants do not match.</summary>
    public static T Decode<T>(byte[] bytes)
        where T : struct, IHardwareFormat<T>
    {
        Assert.True(T.TryDecode(bytes, out var value, out var error), $"{typeof(T).Name}: {error}");
        return value;
    }

    /// <summary>QEMU's <c>extract32(value, start, length)</c>.</summary>
    public static uint Extract32(uint value, int start, int length) => (value >> start) & (length == 32 ? uint.MaxValue : (1U << length) - 1);

    /// <summary>QEMU's <c>deposit32(value, start, length, field)</c>.</summary>
    public static uint Deposit32(uint value, int start, int length, uint field)
    {
        var mask = (length == 32 ? uint.MaxValue : (1U << length) - 1) << start;
        return (value & ~mask) | ((field << start) & mask);
    }

    /// <summary>QEMU's <c>extract64(value, start, length)</c>.</summary>
    public static ulong Extract64(ulong value, int start, int length) => (value >> start) & (length == 64 ? ulong.MaxValue : (1UL << length) - 1);

    /// <summary>Linux's <c>GENMASK_ULL(high, low)</c>.</summary>
    public static ulong GenMask(int high, int low) => (ulong.MaxValue >> (63 - high)) & ~((1UL << low) - 1);

    /// <summary>Linux's <c>FIELD_PREP(mask, value)</c> (the value must fit).</summary>
    public static ulong FieldPrep(ulong mask, ulong value)
    {
        var shifted = value << BitOperations.TrailingZeroCount(mask);
        Assert.Equal(0UL, shifted & ~mask);
        return shifted;
    }

    /// <summary>Linux's <c>FIELD_GET(mask, value)</c>.</summary>
    public static ulong FieldGet(ulong mask, ulong value) => (value & mask) >> BitOperations.TrailingZeroCount(mask);

    /// <summary>The names of the spec rules <paramref name="value"/> violates, in spec order.</summary>
    public static string[] ViolatedRules<T>(T value)
        where T : struct, IHardwareFormat<T>
    {
        var v = value.Validate();
        return T.Layout.Rules.Where((_, i) => v.IsRuleViolated(i)).Select(r => r.Name).ToArray();
    }
}
