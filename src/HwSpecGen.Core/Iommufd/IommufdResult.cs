namespace HwSpecGen.Core.Iommufd;

/// <summary>The outcome of an iommufd call: success or an errno. A failed call changes nothing.</summary>
/// <param name="Error">The errno, or <see cref="Errno.None"/>.</param>
public readonly record struct IommufdResult(Errno Error)
{
    /// <summary>Success.</summary>
    public static IommufdResult Ok => default;

    /// <summary>True on success.</summary>
    public bool IsOk => Error == Errno.None;

    /// <summary>A failure.</summary>
    public static IommufdResult Fail(Errno error) => new(error);

    /// <summary>Converts an errno.</summary>
    public static implicit operator IommufdResult(Errno error) => new(error);

    /// <inheritdoc/>
    public override string ToString() => IsOk ? "ok" : "-" + Error;
}
