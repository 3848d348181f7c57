using System;
using System.Diagnostics;
using System.Threading;
using SolidBms.Core.Config;
using SolidBms.Core.Loop;
using SolidBms.Esp32.Binding;
using SolidBms.Firmware;

namespace SolidBms.Esp32
{
    /// <summary>
    /// Device entry point: reads board, limit profile and cell files from I:\, builds the controller through the
    /// same composition the simulator uses, then runs the loop at the board's tick (sleeping until the next one is
    /// due). If the files are missing or invalid the outputs stay de-energised and the reason is printed on the
    /// debug port every few seconds.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            var clock = new Esp32Clock();
            BmsController controller;
            try
            {
                BoardConfig board = BoardConfig.Load(DeviceFiles.ReadAscii(DeviceFiles.BoardPath), "board.board");
                LimitProfile profile = LimitProfile.Load(DeviceFiles.ReadAscii(DeviceFiles.ProfilePath), "limits.profile");
                CellModel cell = CellModel.Load(KeyValueDocument.Parse(DeviceFiles.ReadAscii(DeviceFiles.CellPath), "cell.cell"));
                Esp32Rig rig = Esp32Rig.Create(board, clock);
                controller = BmsComposition.Build(board, profile, cell, rig.Hardware);
                // Event log: 64 KiB in 4 KiB blocks (2048 records). Capture: the board file's [lab] ring (300 samples
                // unless it says: 30 s at 10 Hz, 20 s before the trigger, about 13 KiB of RAM at 16 cells): the managed
                // heap is the limit here.
                controller.AttachLab(
                    new SolidBms.Core.Lab.EventLog(new Esp32FileStorage(DeviceFiles.EventLogPath, 64 * 1024, 4096)),
                    new SolidBms.Core.Lab.CaptureBuffer(board.CellCount, board.CaptureSamples, board.CapturePreTriggerSamples));
                // The estimator's state across resets: two 4 KiB blocks (16 records of 16 cells each).
                controller.AttachSocMemory(new SolidBms.Core.Estimation.SocMemory(
                    new Esp32FileStorage(DeviceFiles.SocMemoryPath, 8 * 1024, 4096), board.CellCount, cell.CapacityAh));
            }
            catch (Exception e)
            {
                while (true)
                {
                    Debug.WriteLine("SolidBms cannot start: " + e.Message);
                    Thread.Sleep(5000);
                }
            }

            while (true)
            {
                int waitMs = controller.Timer.MillisecondsUntilDue(clock.NowMilliseconds);
                if (waitMs > 0) Thread.Sleep(waitMs);
                else controller.Tick();
            }
        }
    }
}
