using System;
using SolidBms.Core.Config;
using SolidBms.Core.Estimation;
using SolidBms.Core.Lab;
using SolidBms.Core.Loop;
using SolidBms.Firmware;
using SolidBms.NanoBench.Fakes;
using NativeGC = nanoFramework.Runtime.Native.GC;

namespace SolidBms.NanoBench
{
    /// <summary>
    /// One board's run: the controller built from the board's files as the device builds it (BmsComposition, event log
    /// and capture attached as Firmware/Esp32/Program.cs does), warmed up into a steady discharge, then ticked. Prints
    /// one "nanobench KEY VALUE" line per figure; scripts/nano-bench.sh reads them. Instruction counts come from outside:
    /// the script runs <see cref="Count"/> with two tick counts under valgrind and divides the difference.
    /// </summary>
    public static class BenchRun
    {
        /// <summary>The modes of <see cref="BenchPlan.Mode"/>.</summary>
        public const string ModeFull = "full", ModeTick = "tick", ModeRig = "rig", ModeStages = "stages", ModeHeap = "heap";

        /// <summary>
        /// Free heap aimed at while the collections are counted (a ballast holds the rest; what is left comes out a
        /// little lower and is printed): garbage made by a tick then brings a collection within a few hundred ticks, as on
        /// an ESP32 whose heap is a few hundred KiB, instead of after the 10 MiB the posix host gives the interpreter.
        /// </summary>
        public const int FreeHeapWhileCounting = 64 * 1024;

        /// <summary>Ticks run after the ballast is in place and before collections are counted.</summary>
        public const int SettleTicks = 100;

        /// <summary>A controller built and warmed up, with its rig.</summary>
        private sealed class Bench
        {
            public BmsController Controller;
            public BenchRig Rig;
            public int Cells;
            public BoardConfig Board;
            public LimitProfile Profile;
            public CellModel Cell;
        }

        private static Bench Build(string boardName, int warmUpTicks) { return Build(boardName, warmUpTicks, false); }

        /// <summary>
        /// Builds and warms up a controller; with <paramref name="heapSteps"/>, prints the managed heap each step of the
        /// start-up holds ("heap-step-NAME BYTES": free bytes after a collection before the step less after it; the parsed
        /// files stay referenced until the controller is built, as on the device).
        /// </summary>
        private static Bench Build(string boardName, int warmUpTicks, bool heapSteps)
        {
            uint free = heapSteps ? NativeGC.Run(false) : 0;
            string boardText = BoardTexts.Board(boardName);
            if (boardText == null) throw new ArgumentException("no board " + boardName + " in BoardTexts");
            BoardConfig board = BoardConfig.Load(boardText, boardName + ".board");
            if (heapSteps) free = HeapStep("board", free);
            LimitProfile profile = LimitProfile.Load(BoardTexts.Profile(board.ProfileName), board.ProfileName + ".profile");
            if (heapSteps) free = HeapStep("profile", free);
            CellModel cell = CellModel.Load(KeyValueDocument.Parse(BoardTexts.Cell(board.CellModelName), board.CellModelName + ".cell"));
            if (heapSteps) free = HeapStep("cell", free);
            Bench b = new Bench();
            b.Cells = board.CellCount;
            b.Board = board;
            b.Profile = profile;
            b.Cell = cell;
            b.Rig = new BenchRig(board, cell);
            if (heapSteps) free = HeapStep("bench-rig", free);
            b.Controller = BmsComposition.Build(board, profile, cell, b.Rig.Hardware);
            if (heapSteps) free = HeapStep("controller", free);
            // As Program.cs: event log 64 KiB in 4 KiB blocks, the capture the board file's [lab] asks for, the SOC kept
            // across resets in 8 KiB.
            b.Controller.AttachLab(new EventLog(new ErasedFlash(64 * 1024, 4096)), new CaptureBuffer(board.CellCount, board.CaptureSamples, board.CapturePreTriggerSamples));
            if (heapSteps) free = HeapStep("event-log-and-capture", free);
            b.Controller.AttachSocMemory(new SocMemory(new ErasedFlash(8 * 1024, 4096), board.CellCount, cell.CapacityAh));
            if (heapSteps) free = HeapStep("soc-memory", free);
            for (int i = 0; i < warmUpTicks; i++)
            {
                b.Rig.Step();
                b.Controller.Tick();
            }
            if (heapSteps) HeapStep("warm-up-ticks", free);
            return b;
        }

        private static uint HeapStep(string name, uint freeBefore)
        {
            uint free = NativeGC.Run(false);
            Print("heap-step-" + name, (long)freeBefore - free);
            return free;
        }

        /// <summary>Where the start-up's heap goes, step by step (<see cref="Build(string, int, bool)"/>), then the controller's parts.</summary>
        public static void Heap(string boardName, int warmUpTicks)
        {
            uint freeAtStart = NativeGC.Run(false);
            // What the heap holds before the program builds anything: the interpreter's own tables of every assembly
            // loaded (types, methods, fields, static fields), as on the device.
            Print("heap-before-start-up-bytes", PosixHeapBytes - freeAtStart);
            Bench b = Build(boardName, warmUpTicks, true);
            Print("heap-start-up-bytes", (long)freeAtStart - NativeGC.Run(false));
            HeapParts(b);
            Print("heap-board", boardName + ", " + b.Cells.ToString() + " cells"); // b is still held here
        }

        /// <summary>
        /// The controller's heap by part: each part built once more on its own, beside the controller already built, and
        /// held until all are measured ("heap-part-NAME BYTES"). The parts the controller builds inside the protocol
        /// endpoint are measured inside it too (the endpoint's own line is its whole, its parts' lines a breakdown of it; the Modbus map's line includes the SunSpec map).
        /// </summary>
        private static void HeapParts(Bench b)
        {
            object[] held = new object[16];
            int n = 0;
            BoardConfig board = b.Board;
            uint free = NativeGC.Run(false);
            held[n++] = BmsComposition.CreateSensors(board, b.Rig.Hardware);
            free = HeapPart("sensors", free);
            held[n++] = new SolidBms.Core.Measurement.PackMeasurement(board.CellCount, board.StackCount);
            free = HeapPart("measurement", free);
            held[n++] = new StateEstimator(b.Cell, board.CellCount);
            free = HeapPart("estimator", free);
            held[n++] = new SolidBms.Core.Safety.SafetySupervisor(b.Profile, board.CellCount, board.StackCount, board.TickMs);
            free = HeapPart("supervisor", free);
            if (board.Balancing != null && b.Controller.Balancer != null)
                held[n++] = new SolidBms.Core.Balancing.CellBalancer(board.Balancing, board.CellCount, (SolidBms.Core.Balancing.ICellBleed)b.Controller.Sensors, b.Controller.Estimator);
            free = HeapPart("balancer", free);
            SolidBms.Core.Protocol.ProtocolEndpoint endpoint = new SolidBms.Core.Protocol.ProtocolEndpoint(b.Controller, null, null);
            held[n++] = endpoint;
            free = HeapPart("protocol-endpoint", free);
            held[n++] = new SolidBms.Core.Protocol.TelemetryFrame(board.CellCount, board.StackCount);
            free = HeapPart("protocol-telemetry-frame", free);
            held[n++] = new SolidBms.Core.Protocol.LineCommands(endpoint, b.Controller);
            free = HeapPart("protocol-line-commands", free);
            held[n++] = new SolidBms.Core.Protocol.ModbusRegisterMap(endpoint, b.Controller);
            free = HeapPart("protocol-modbus-map", free);
            held[n++] = new SolidBms.Core.Protocol.SunSpecMap(b.Controller, board.ModbusAddress);
            free = HeapPart("protocol-sunspec-map", free);
            held[n++] = new SolidBms.Core.Protocol.WriteLog();
            free = HeapPart("protocol-write-log", free);
            held[n++] = new SolidBms.Core.Protocol.ProfileFields();
            HeapPart("protocol-profile-fields", free);
            held[n++] = held; // held to here
        }

        private static uint HeapPart(string name, uint freeBefore)
        {
            uint free = NativeGC.Run(false);
            Print("heap-part-" + name, (long)freeBefore - free);
            return free;
        }

        /// <summary>
        /// Loop passes as the device runs them (the rig's inputs set, one tick, stage timer off), or the rig alone
        /// (<paramref name="tick"/> false, to take the bench's own share out). A weak reference to a throw-away object dies
        /// at the first collection: it is checked after every pass and renewed after each one seen. Returns the count.
        /// </summary>
        private static int Loop(Bench b, int passes, bool tick)
        {
            WeakReference sentinel = new WeakReference(new object());
            int collections = 0;
            BenchRig rig = b.Rig;
            BmsController ctl = b.Controller;
            for (int i = 0; i < passes; i++)
            {
                rig.Step();
                if (tick) ctl.Tick();
                if (!sentinel.IsAlive)
                {
                    collections++;
                    sentinel = new WeakReference(new object());
                }
            }
            return collections;
        }

        /// <summary>
        /// For the instruction count: build, warm up, then <paramref name="passes"/> loop passes (ticks, or the rig
        /// alone), and nothing after them. Two runs that differ only in the number of passes differ by exactly that many
        /// passes. The collections seen are printed: the script requires none (a collection's cost depends on the heap).
        /// </summary>
        public static void Count(string boardName, int warmUpTicks, int passes, bool tick)
        {
            Bench b = Build(boardName, warmUpTicks);
            NativeGC.Run(false);
            int collections = Loop(b, passes, tick);
            Print("count-passes", passes);
            Print("count-gcs", collections);
            Print("count-state", BmsStateNames.Of(b.Controller.State));
        }

        /// <summary>
        /// For the instruction count by stage: build, warm up, then <paramref name="ticks"/> ticks with the stage timer on.
        /// The timer reads the clock through one native method (DateTime's GetUtcNowAsTicks) at the start of a tick and at
        /// the end of each stage, and nothing else in these ticks calls it: valgrind's callgrind, told to dump its counts
        /// before each call of that method, cuts the run at the stage boundaries (scripts/nano-bench.sh). Before each tick
        /// the loop reads the clock twice more, back to back: the cost of one read, which each stage's count includes once.
        /// </summary>
        public static void Stages(string boardName, int warmUpTicks, int ticks)
        {
            Bench b = Build(boardName, warmUpTicks);
            NativeGC.Run(false);
            Print("stages-begin", ticks);
            WallStageTimer timer = new WallStageTimer();
            b.Controller.StageTimer = timer;
            for (int i = 0; i < ticks; i++)
            {
                b.Rig.Step();
                timer.NowTicks();
                timer.NowTicks();
                b.Controller.Tick();
            }
            b.Controller.StageTimer = null;
            Print("stages-end", ticks);
        }

        /// <summary>
        /// Everything but the instruction count: heap after start-up and after the ticks, wall time per pass, the split
        /// of the tick by stage, the collections in <paramref name="ticks"/> ticks with the free heap held at about
        /// <see cref="FreeHeapWhileCounting"/> (after <see cref="SettleTicks"/> not counted), and what the controller did.
        /// </summary>
        public static void Full(string boardName, int warmUpTicks, int ticks, int stageTicks)
        {
            uint freeAtStart = NativeGC.Run(false);
            Bench b = Build(boardName, warmUpTicks);
            BmsController ctl = b.Controller;
            BenchRig rig = b.Rig;
            uint freeAfterStartUp = NativeGC.Run(false);

            Print("board", boardName);
            Print("cells", b.Cells);
            Print("firmware", SolidBms.Core.FirmwareRelease.Version);
            Print("warm-up-ticks", warmUpTicks);
            Print("state-after-warm-up", BmsStateNames.Of(ctl.State));
            Print("heap-total-posix", PosixHeapBytes);
            Print("heap-free-at-start", freeAtStart);
            Print("heap-free-after-start-up", freeAfterStartUp);
            Print("heap-start-up-bytes", (long)freeAtStart - freeAfterStartUp);

            // The ticks, timed whole (stage timer off, as on the device).
            long wall0 = DateTime.UtcNow.Ticks;
            int collections = Loop(b, ticks, true);
            long wall1 = DateTime.UtcNow.Ticks;
            uint freeAfterTicks = NativeGC.Run(false);
            Print("ticks", ticks);
            Print("gcs-during-ticks-10mib-heap", collections);
            Print("heap-free-after-ticks", freeAfterTicks);
            Print("heap-growth-over-ticks", (long)freeAfterStartUp - freeAfterTicks);
            Print("wall-us-per-pass", Fixed((wall1 - wall0) / ticks, 1)); // 100 ns units: one decimal of a microsecond

            // The ticks split by stage through the controller's IStageTimer hook: wall time in the interpreter, in the lines
            // the device's timing test prints too (StageCostMeter).
            StageCostMeter meter = new StageCostMeter(StageCostMeter.HundredNanosecondTimer);
            ctl.StageTimer = new WallStageTimer();
            for (int k = 0; k < stageTicks; k++)
            {
                rig.Step();
                ctl.Tick();
                meter.Add(ctl);
            }
            ctl.StageTimer = null;
            Print("stage-ticks", stageTicks);
            string[] lines = meter.Lines();
            for (int s = 0; s < lines.Length; s++) Console.WriteLine(lines[s]);

            // Garbage: the same ticks with the free heap held low, collections counted.
            uint freeWhileCounting;
            BallastNode ballast = FillHeap(FreeHeapWhileCounting, out freeWhileCounting);
            int settling = Loop(b, SettleTicks, true); // the first collection after the fill comes early, whatever the tick does
            int lowHeapCollections = Loop(b, ticks, true);
            ballast = null;
            Print("heap-free-while-counting-gcs", freeWhileCounting);
            Print("gcs-settling-low-heap", settling);
            Print("gcs-during-ticks-low-heap", lowHeapCollections);

            Print("state-at-end", BmsStateNames.Of(ctl.State));
            Print("pack-soc-estimate-percent", Fixed((long)(ctl.Estimator.PackSoc * 1000f + 0.5f), 1));
            Print("pack-soc-true-percent", Fixed((long)(rig.Soc * 1000f + 0.5f), 1));
            Print("current-a", Fixed((long)(ctl.Measurement.PackCurrentA * 1000f + 0.5f), 3));
            string[] faults = new string[32];
            int n = ctl.CopyFaultNames(faults);
            string list = "";
            for (int i = 0; i < n; i++) list = list + (i > 0 ? "," : "") + faults[i];
            Print("faults", n == 0 ? "none" : list);
            long passes = warmUpTicks + 2L * ticks + stageTicks + SettleTicks;
            Print("telemetry-bytes-per-tick", rig.Telemetry.BytesWritten / passes);
            Print("watchdog-feeds", rig.Watchdog.Feeds);
            if (rig.Bq != null) Print("bq76952-transactions-per-tick", rig.Bq.Transactions / passes);
            // Last, the rig alone, for its share of a pass (its clock runs on without a tick: the controller is done).
            long rig0 = DateTime.UtcNow.Ticks;
            Loop(b, stageTicks, false);
            Print("wall-us-rig-step", Fixed((DateTime.UtcNow.Ticks - rig0) / stageTicks, 1));
            Print("end", boardName);
        }

        /// <summary>The managed heap the posix host gives the interpreter (targets/posix/nanoCLR/Memory.cpp: 10 MiB).</summary>
        public const long PosixHeapBytes = 10L * 1024 * 1024;

        private sealed class BallastNode
        {
            public BallastNode Next;
            public byte[] Data;
        }

        /// <summary>
        /// Holds the free heap down to about <paramref name="target"/> bytes: 4 KiB pieces while far above it (they come
        /// from the untouched end of the heap), then 512-byte ones, then bare nodes, which also fit the holes that
        /// start-up garbage left. Each round takes half the way that remains and looks again, so no allocation fails for
        /// want of a contiguous block: this host does not survive that (it would compact the heap, and heap compaction,
        /// GC.Run(true), crashes the posix interpreter).
        /// </summary>
        private static BallastNode FillHeap(int target, out uint free)
        {
            BallastNode head = null;
            int[] sizes = { 4096, 512, 0 };
            int[] margins = { 512 * 1024, 128 * 1024, 0 };
            free = NativeGC.Run(false);
            for (int phase = 0; phase < sizes.Length; phase++)
            {
                int piece = sizes[phase] + 64; // the node and the array's own header, roughly
                while (free > target + margins[phase])
                {
                    int n = (int)((free - target - margins[phase]) / 2 / piece);
                    if (n < 16) n = 16;
                    for (int i = 0; i < n; i++)
                    {
                        BallastNode node = new BallastNode();
                        if (sizes[phase] > 0) node.Data = new byte[sizes[phase]];
                        node.Next = head;
                        head = node;
                    }
                    free = NativeGC.Run(false);
                }
            }
            return head;
        }

        private static void Print(string key, string value) { Console.WriteLine(StageCostMeter.Line(key, value)); }

        private static void Print(string key, long value) { Print(key, value.ToString()); }

        /// <summary>A count in units of 10^-decimals as a decimal number (StageCostMeter.Fixed).</summary>
        public static string Fixed(long value, int decimals) { return StageCostMeter.Fixed(value, decimals); }
    }
}
