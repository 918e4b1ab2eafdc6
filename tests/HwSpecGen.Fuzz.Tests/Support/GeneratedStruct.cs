using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Reflection;
using HwSpecGen.Runtime;

namespace HwSpecGen.Fuzz.Tests.Support;

/// <summary>
/// Reaches the generated struct behind a <see cref="FormatDescriptor"/> (its <c>TryDecode</c>, property getters and
/// <c>Validate</c>) so the differential tests read values the way generated code does, not through the runtime layout.
/// </summary>
internal sealed class GeneratedStruct
{
    private static readonly ConcurrentDictionary<Type, GeneratedStruct> Cache = new();
    private static readonly MethodInfo DecodeOpen = typeof(GeneratedStruct).GetMethod(nameof(DecodeAs), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<byte[], Decoded> _decode;
    private readonly PropertyInfo[] _properties;

    private GeneratedStruct(Type type, FormatLayout layout)
    {
        Type = type;
        _decode = DecodeOpen.MakeGenericMethod(type).CreateDelegate<Func<byte[], Decoded>>();
        _properties = layout.Fields.Select(f => type.GetProperty(f.Name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{type.Name} has no property {f.Name}")).ToArray();
    }

    public Type Type { get; }

    public static GeneratedStruct Of(FormatDescriptor descriptor)
    {
        var type = descriptor.GetType().GetGenericArguments().Single();
        return Cache.GetOrAdd(type, t => new GeneratedStruct(t, descriptor.Layout));
    }

    /// <summary>The generated <c>TryDecode</c>, <c>Validate</c> and every field property (as raw 64-bit values: flags 0/1, signed as two's complement, enums as their number).</summary>
    public (bool Ok, DecodeError Error, Violations Violations, ulong[] Values) Decode(byte[] bytes)
    {
        var d = _decode(bytes);
        var values = new ulong[_properties.Length];
        if (d.Value is not null)
        {
            for (var i = 0; i < _properties.Length; i++)
            {
                values[i] = ToUInt64(_properties[i].GetValue(d.Value)!);
            }
        }

        return (d.Ok, d.Error, d.Violations, values);
    }

    /// <summary>
    /// The generated encoders: <c>Create()</c>, then <c>WithX(value)</c> for every non-constant field with the given
    /// values (raw 64-bit forms as <see cref="Decode"/> returns them), then the words through <c>GetWord</c>.
    /// </summary>
    public ulong[] Encode(FormatLayout layout, ulong[] values)
    {
        var value = Type.GetMethod("Create", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
        for (var i = 0; i < layout.Fields.Length; i++)
        {
            var f = layout.Fields[i];
            if (f.ConstValue is not null)
            {
                Assert.Null(Type.GetMethod("With" + f.Name));
                continue;
            }

            var propertyType = _properties[i].PropertyType;
            object argument = propertyType == typeof(bool) ? values[i] != 0
                : propertyType == typeof(long) ? unchecked((long)values[i])
                : propertyType.IsEnum ? Enum.ToObject(propertyType, values[i])
                : values[i];
            value = Type.GetMethod("With" + f.Name, [propertyType])!.Invoke(value, [argument])!;
        }

        var getWord = Type.GetMethod("GetWord", [typeof(int)])!;
        return Enumerable.Range(0, layout.WordCount).Select(w => (ulong)getWord.Invoke(value, [w])!).ToArray();
    }

    public Type PropertyType(int field) => _properties[field].PropertyType;

    private static ulong ToUInt64(object value) => value switch
    {
        bool b => b ? 1UL : 0UL,
        long l => unchecked((ulong)l),
        ulong u => u,
        Enum e => Convert.ToUInt64(e, System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"unexpected property type {value.GetType()}"),
    };

    private static Decoded DecodeAs<T>(byte[] bytes)
        where T : struct, IHardwareFormat<T>
    {
        var ok = T.TryDecode(bytes, out var value, out var error);
        if (error == DecodeError.TooShort)
        {
            return new Decoded(ok, error, default, null);
        }

        return new Decoded(ok, error, value.Validate(), value);
    }

    private sealed record Decoded(bool Ok, DecodeError Error, Violations Violations, object? Value);
}
