namespace HwSpecGen.Core.Iommufd;

/// <summary>The outcome of an iommufd call that produces a value.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly struct IommufdResult<T>
{
    private readonly T? _value;

    private IommufdResult(T? value, Errno error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The errno, or <see cref="Errno.None"/>.</summary>
    public Errno Error { get; }

    /// <summary>True on success.</summary>
    public bool IsOk => Error == Errno.None;

    /// <summary>The value; throws on a failed result (a programming error in the caller).</summary>
    public T Value => IsOk ? _value! : throw new System.InvalidOperationException($"iommufd call failed with -{Error}");

    /// <summary>A success.</summary>
    public static IommufdResult<T> Ok(T value) => new(value, Errno.None);

    /// <summary>A failure.</summary>
    public static IommufdResult<T> Fail(Errno error) => new(default, error);

    /// <summary>Converts an errno into a failure.</summary>
    public static implicit operator IommufdResult<T>(Errno error) => Fail(error);

    /// <summary>The result without its value.</summary>
    public IommufdResult AsResult() => new(Error);

    /// <inheritdoc/>
    public override string ToString() => IsOk ? $"ok({_value})" : "-" + Error;
}
