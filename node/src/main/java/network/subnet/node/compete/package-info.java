/**
 * Competition scorers that need no validator state: matrix compression (Apex), MicroNet efficiency of an ONNX
 * student and TpuGraphs runtime prediction, plus the 1% rule a challenger must meet to take the lead.
 */
package network.subnet.node.compete;
