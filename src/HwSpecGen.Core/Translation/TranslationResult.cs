namespace HwSpecGen.Core.Translation;

/// <summary>The result of translating one address: a host physical address with its page and permissions, or a fault.</summary>
public readonly struct TranslationResult
{
    private TranslationResult(ulong hpa, int pageShift, Access permissions, TranslationSource source, TranslationFault? fault)
    {
        Hpa = hpa;
        PageShift = pageShift;
        Permissions = permissions;
        Source = source;
        Fault = fault;
    }

    /// <summary>Host physical address of the requested byte.</summary>
    public ulong Hpa { get; }

    /// <summary>log2 of the size of the page that mapped it (12, 21, 30…).</summary>
    public int PageShift { get; }

    /// <summary>Page size in bytes.</summary>
    public ulong PageSize => 1UL << PageShift;

    /// <summary>What the combined stages allow.</summary>
    public Access Permissions { get; }

    /// <summary>Walk, IOTLB or ATC.</summary>
    public TranslationSource Source { get; }

    /// <summary>The fault, or null on success.</summary>
    public TranslationFault? Fault { get; }

    /// <summary>True on success.</summary>
    public bool IsOk => Fault is null;

    /// <summary>A success.</summary>
    public static TranslationResult Success(ulong hpa, int pageShift, Access permissions, TranslationSource source = TranslationSource.Walk) =>
        new(hpa, pageShift, permissions, source, null);

    /// <summary>A failure.</summary>
    public static TranslationResult Failed(TranslationFault fault) => new(0, 0, Access.None, TranslationSource.Walk, fault);

    /// <summary>The same translation reported as coming from <paramref name="source"/>.</summary>
    public TranslationResult From(TranslationSource source) => new(Hpa, PageShift, Permissions, source, Fault);

    /// <inheritdoc/>
    public override string ToString() => IsOk ? $"HPA 0x{Hpa:X} ({PageSize >> 10} KiB page, {Permissions}, {Source})" : $"fault {Fault!.Code} at {Fault.Stage}: {Fault.Detail}";
}
