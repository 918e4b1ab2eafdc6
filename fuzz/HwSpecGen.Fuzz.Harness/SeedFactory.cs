using System;
using System.Collections.Generic;
using HwSpecGen.Runtime;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>Builds seed entries with the generated encoders: constants set, fields filled deterministically, reserved bits zero.</summary>
public static class SeedFactory
{
    /// <summary>A few encodings of <paramref name="format"/>: the <c>Create()</c>-like value, every field at its maximum, and two pseudo-random fillings.</summary>
    /// <param name="format">The format.</param>
    /// <returns>Encoded entries, each <see cref="FormatLayout.SizeBytes"/> long.</returns>
    public static IEnumerable<byte[]> Encodings(FormatDescriptor format)
    {
        var layout = format.Layout;
        var random = new Random(layout.FullName.Length * 7919 + layout.Bits);
        for (var variant = 0; variant < 4; variant++)
        {
            var words = new ulong[layout.WordCount];
            foreach (var f in layout.Fields)
            {
                var raw = f.ConstValue ?? variant switch
                {
                    0 => 0UL,
                    1 => f.MaxRaw,
                    _ => f.Kind == FieldKind.Enum && f.EnumMembers.Length > 0
                        ? f.EnumMembers[random.Next(f.EnumMembers.Length)].Value
                        : (ulong)random.NextInt64() & f.MaxRaw,
                };
                f.InsertRaw(words, raw);
            }

            var bytes = new byte[layout.SizeBytes];
            format.Encode(words, bytes);
            yield return bytes;
        }
    }
}
