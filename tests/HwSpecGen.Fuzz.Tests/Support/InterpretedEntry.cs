using System.Collections.Generic;

namespace HwSpecGen.Fuzz.Tests.Support;

/// <summary>What <see cref="BitInterpreter"/> read from an entry.</summary>
/// <param name="TooShort">Fewer bytes than the format's size.</param>
/// <param name="Raw">Each field's stored bits, segments concatenated least significant first.</param>
/// <param name="Values">Each field's value: addresses shifted, signed fields sign-extended (two's complement bits), flags 0/1.</param>
/// <param name="MustBeZeroSet">Absolute indices of the must-be-zero bits that are set.</param>
/// <param name="ConstantWrong">Indices of constant fields holding another value.</param>
/// <param name="EnumUnnamed">Indices of strict-enum fields holding an unnamed value.</param>
/// <param name="RulesViolated">Bit i: rule i is violated.</param>
internal sealed record InterpretedEntry(
    bool TooShort,
    ulong[] Raw,
    ulong[] Values,
    IReadOnlyList<int> MustBeZeroSet,
    IReadOnlyList<int> ConstantWrong,
    IReadOnlyList<int> EnumUnnamed,
    ulong RulesViolated);
