using System.Collections;
using System.Runtime.CompilerServices;

namespace IpoeRouter.Model;

/// <summary>Builds <see cref="ValueList{T}"/> from collection expressions (<c>ValueList&lt;int&gt; x = [1, 2];</c>).</summary>
public static class ValueList
{
    /// <summary>A list holding a copy of <paramref name="items"/>.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => ValueList<T>.From(items.ToArray());
}

/// <summary>
/// An immutable list with value equality, so that records holding lists compare by content
/// (a document read twice equals itself; a diff sees no change where there is none).
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    /// <summary>The empty list.</summary>
    public static ValueList<T> Empty { get; } = new(Array.Empty<T>());

    private ValueList(T[] items) => _items = items;

    /// <summary>Copies <paramref name="items"/> into a new list.</summary>
    public static ValueList<T> From(IEnumerable<T>? items)
    {
        if (items is null)
        {
            return Empty;
        }

        T[] array = items.ToArray();
        return array.Length == 0 ? Empty : new ValueList<T>(array);
    }

    /// <inheritdoc/>
    public T this[int index] => _items[index];

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <summary>A copy with <paramref name="item"/> appended.</summary>
    public ValueList<T> Add(T item) => new([.. _items, item]);

    /// <summary>A copy with the item at <paramref name="index"/> replaced.</summary>
    public ValueList<T> SetItem(int index, T item)
    {
        T[] copy = (T[])_items.Clone();
        copy[index] = item;
        return new ValueList<T>(copy);
    }

    /// <summary>A copy with <paramref name="item"/> inserted at <paramref name="index"/>.</summary>
    public ValueList<T> Insert(int index, T item)
    {
        var list = new List<T>(_items);
        list.Insert(index, item);
        return new ValueList<T>(list.ToArray());
    }

    /// <summary>A copy without the items matching <paramref name="match"/>.</summary>
    public ValueList<T> RemoveAll(Func<T, bool> match) => From(_items.Where(i => !match(i)));

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(ValueList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (T item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", _items) + "]";

    /// <summary>Lets a <c>T[]</c> or collection expression stand where a list is expected.</summary>
    public static implicit operator ValueList<T>(T[] items) => From(items);
}
