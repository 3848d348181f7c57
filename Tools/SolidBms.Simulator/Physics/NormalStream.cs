using System;
using System.Threading;

namespace SolidBms.Simulator.Physics;

/// <summary>
/// Standard normal samples for the simulated converters, drawn ahead on the thread pool: the analog rig takes 136 a
/// 16-cell tick, and drawing them was a tenth of a simulated tick on the runner's core while the machine's second
/// core idled. The samples come in blocks; block j is drawn by the ziggurat from its own SplitMix64 generator seeded
/// from (seed, j), so the sequence is fixed by the seed alone, whichever thread draws a block and when. A block the
/// pool has not finished when it is needed is drawn by the caller itself (the same numbers). Nothing is allocated
/// after construction: each of the few slots has its own preallocated work item.
/// </summary>
public sealed class NormalStream
{
    public const int BlockSize = 2048;
    private const int Slots = 4;
    private const int Empty = 0, Drawing = 1, Ready = 2;

    private readonly ulong _seed;
    private readonly double[][] _samples = new double[Slots][];
    private readonly long[] _block = new long[Slots]; // the block number each slot holds (or is to hold)
    private readonly int[] _state = new int[Slots];
    private readonly Refill[] _refills = new Refill[Slots];
    private readonly NoiseRng[] _rngs = new NoiseRng[Slots]; // each slot's generator, reseeded for each block it draws
    private double[] _current;
    private int _slot = -1, _next = BlockSize;

    public NormalStream(ulong seed)
    {
        _seed = seed;
        for (int s = 0; s < Slots; s++)
        {
            _samples[s] = new double[BlockSize];
            _block[s] = s;
            _refills[s] = new Refill(this, s);
            _rngs[s] = new NoiseRng(0UL);
            ThreadPool.UnsafeQueueUserWorkItem(_refills[s], preferLocal: false);
        }
    }

    public NormalStream(Random seedFrom) : this((ulong)seedFrom.NextInt64()) { }

    public double Next()
    {
        if (_next == BlockSize) NextBlock();
        return _current[_next++];
    }

    private void NextBlock()
    {
        if (_slot >= 0)
        {
            // The slot just used takes the block Slots further on, drawn on the pool meanwhile.
            _block[_slot] += Slots;
            Volatile.Write(ref _state[_slot], Empty);
            ThreadPool.UnsafeQueueUserWorkItem(_refills[_slot], preferLocal: false);
        }
        _slot = (_slot + 1) % Slots;
        if (Interlocked.CompareExchange(ref _state[_slot], Drawing, Empty) == Empty) Draw(_slot); // the pool is behind: draw it here
        var spin = new SpinWait();
        while (Volatile.Read(ref _state[_slot]) != Ready) spin.SpinOnce(); // the pool is drawing it
        _current = _samples[_slot];
        _next = 0;
    }

    private void Draw(int slot)
    {
        var rng = _rngs[slot];
        rng.Reseed(BlockSeed(_seed, _block[slot]));
        double[] into = _samples[slot];
        for (int k = 0; k < into.Length; k++) into[k] = Gaussian.Next(rng);
        Volatile.Write(ref _state[slot], Ready);
    }

    /// <summary>Block j's generator seed: the seed and the block number mixed by SplitMix64's finaliser.</summary>
    public static ulong BlockSeed(ulong seed, long block) => NoiseRng.Mix(seed + NoiseRng.Golden * (ulong)(block + 1));

    private sealed class Refill : IThreadPoolWorkItem
    {
        private readonly NormalStream _owner;
        private readonly int _slot;

        public Refill(NormalStream owner, int slot) { _owner = owner; _slot = slot; }

        public void Execute()
        {
            if (Interlocked.CompareExchange(ref _owner._state[_slot], Drawing, Empty) == Empty) _owner.Draw(_slot);
        }
    }
}
