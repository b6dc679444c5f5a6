using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// One acquisition's step of a min mosaic, 16 pixels at a time: each clear pixel's observation count goes up by one,
/// and each band keeps the smaller of its value so far and the acquisition's. A kept value is NaN until the pixel's
/// first clear observation, and "take v unless kept ≤ v" is false for NaN, so the first observation is taken by the same
/// rule. The result is the scalar rule's bit for bit: a UInt16 converts to float exactly and min only compares.
/// </summary>
internal static class MinComposite
{
    /// <summary>Adds one to the count of every pixel whose state is <see cref="PixelState.Clear"/>.</summary>
    public static void CountClear(Span<ushort> observations, ReadOnlySpan<byte> state)
    {
        var n = Math.Min(observations.Length, state.Length);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var o0 = ref MemoryMarshal.GetReference(observations);
            for (; i <= n - 16; i += 16)
            {
                var (lower, upper) = Vector128.Widen(ClearMask(state, i)); // −1 (all bits) where clear, 0 elsewhere
                var counts = Vector256.LoadUnsafe(ref o0, (nuint)i);
                (counts - Vector256.Create(lower, upper).AsUInt16()).StoreUnsafe(ref o0, (nuint)i); // − 0xFFFF is + 1
            }
        }
        for (; i < n; i++)
            if (state[i] == PixelState.Clear) observations[i]++;
    }

    /// <summary><c>kept[i] = values[i]</c> where the pixel is clear and not already <c>kept[i] ≤ values[i]</c>.</summary>
    public static void TakeMin(Span<float> kept, ReadOnlySpan<ushort> values, ReadOnlySpan<byte> state)
    {
        var n = Math.Min(kept.Length, Math.Min(values.Length, state.Length));
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var k0 = ref MemoryMarshal.GetReference(kept);
            ref var v0 = ref MemoryMarshal.GetReference(values);
            for (; i <= n - 16; i += 16)
            {
                var clear = ClearMask(state, i);
                if (clear == Vector128<sbyte>.Zero) continue; // all cloudy, hidden or outside: nothing to take
                var (m0, m1) = Vector128.Widen(clear);
                var (mask0, mask1) = Vector256.Widen(Vector256.Create(m0, m1)); // sign-extended: −1 stays all bits
                var (value0, value1) = Vector256.Widen(Vector256.LoadUnsafe(ref v0, (nuint)i));
                Take(ref k0, i, value0, mask0);
                Take(ref k0, i + 8, value1, mask1);
            }
        }
        for (; i < n; i++)
        {
            if (state[i] != PixelState.Clear) continue;
            float value = values[i];
            if (!(kept[i] <= value)) kept[i] = value;
        }
    }

    private static Vector128<sbyte> ClearMask(ReadOnlySpan<byte> state, int i) =>
        Vector128.Equals(Vector128.Create(state.Slice(i, 16)), Vector128.Create(PixelState.Clear)).AsSByte();

    private static void Take(ref float k0, int i, Vector256<uint> values, Vector256<int> clear)
    {
        var value = Vector256.ConvertToSingle(values.AsInt32()); // < 65,536: exact
        var kept = Vector256.LoadUnsafe(ref k0, (nuint)i);
        // Take where clear and not kept ≤ value (false for a NaN kept, so the first observation is taken).
        var take = Vector256.AndNot(clear.AsSingle(), Vector256.LessThanOrEqual(kept, value));
        Vector256.ConditionalSelect(take, value, kept).StoreUnsafe(ref k0, (nuint)i);
    }
}
